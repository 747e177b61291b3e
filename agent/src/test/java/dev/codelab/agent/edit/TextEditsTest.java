package dev.codelab.agent.edit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.http.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextEditsTest {

    private static EditRequest request(boolean replaceAll, String... oldNew) {
        List<EditRequest.Edit> edits = new java.util.ArrayList<>();
        for (int i = 0; i < oldNew.length; i += 2) {
            edits.add(new EditRequest.Edit(oldNew[i], oldNew[i + 1]));
        }
        return new EditRequest("f.txt", edits, replaceAll);
    }

    private static String applied(EditOutcome outcome) {
        if (outcome instanceof EditOutcome.Applied applied) {
            return applied.after();
        }
        throw new AssertionError("failed: " + ((EditOutcome.Failed) outcome).message());
    }

    private static String failed(EditOutcome outcome) {
        if (outcome instanceof EditOutcome.Failed failed) {
            return failed.message();
        }
        throw new AssertionError("applied: " + ((EditOutcome.Applied) outcome).after());
    }

    @Test
    void oneEditReplacesItsOnlyOccurrenceAndKeepsTheRest() {
        assertThat(
                applied(TextEdits.apply(request(false, "b = 1", "b = 2"), "a = 0\nb = 1\nc = 3\n")),
                is("a = 0\nb = 2\nc = 3\n"));
    }

    @Test
    void editsApplyInOrderEachToTheResultOfTheOneBefore() {
        assertThat(
                applied(TextEdits.apply(request(false, "one", "two", "two two", "three"), "one two\n")), is("three\n"));
    }

    @Test
    void replaceAllChangesEveryOccurrence() {
        assertThat(applied(TextEdits.apply(request(true, "foo", "bar"), "foo(foo);\nfoo\n")), is("bar(bar);\nbar\n"));
    }

    @Test
    void severalOccurrencesWithoutReplaceAllNameTheirLines() {
        assertThat(
                failed(TextEdits.apply(request(false, "x", "y"), "x\na\nx\n")),
                is("edit_file changed nothing in f.txt: old_text occurs 2 times (at lines 1, 3). Include more of "
                        + "the "
                        + "surrounding lines so that it occurs once, or set replace_all to true to change "
                        + "every occurrence."));
    }

    @Test
    void aFailingEditLeavesTheWholeFileAsItWasAndSaysWhichEditFailed() {
        assertThat(
                failed(TextEdits.apply(request(false, "a", "b", "zzz", "c"), "a\n")),
                is("edit_file changed nothing in f.txt: old_text of edit 2 of 2 was not found in the file (it must "
                        + "match exactly, including whitespace and indentation). Nothing in the file resembles it; "
                        + "read_file the file to see its current content."));
    }

    @Test
    void theClosestLinesAreShownWithTheirNumbers() {
        String file = "class A {\n    int count = 0;\n    void inc() {\n        count++;\n    }\n}\n";
        assertThat(
                failed(TextEdits.apply(request(false, "void inc() {\n    count++;", "x"), file)),
                is("edit_file changed nothing in f.txt: old_text was not found in the file (it must match exactly, "
                        + "including whitespace and indentation). The most similar lines (3-4) are:\n"
                        + "3:     void inc() {\n4:         count++;\n"
                        + "Copy old_text exactly from the file (without the line numbers) and try again."));
    }

    @Test
    void aCrlfFileIsMatchedWithLfTextAndStaysCrlf() {
        assertThat(
                applied(TextEdits.apply(request(false, "a\nb", "a\nB\nc"), "a\r\nb\r\nz\r\n")),
                is("a\r\nB\r\nc\r\nz\r\n"));
    }

    @Test
    void aByteOrderMarkAndAMissingFinalNewlineAreKept() {
        assertThat(applied(TextEdits.apply(request(false, "hello", "bye"), "\uFEFFhello")), is("\uFEFFbye"));
    }

    @Test
    void anEditThatChangesNothingIsAnError() {
        assertThat(
                failed(TextEdits.apply(request(false, "a", "a"), "a\n")),
                is("edit_file changed nothing in f.txt: the edits change nothing (each new_text equals what it "
                        + "replaces)."));
    }

    @Test
    void partOfAFileOrBinaryContentCannotBeEdited() throws Exception {
        assertThat(
                failed(TextEdits.apply(request(false, "a", "b"), Json.read("""
                                {"content":"a","start_line":1,"end_line":1,"total_lines":5}\
                                """), null)),
                is("the IDE returned only lines 1-1 of the 5 of f.txt, so it cannot be edited safely; use "
                        + "write_file instead."));
        assertThat(
                failed(TextEdits.apply(request(false, "a", "b"), Json.read("""
                                {"content":"YQ==","encoding":"base64"}\
                                """), null)),
                is("f.txt is not a text file (the IDE read it as base64); it cannot be edited."));
        assertThat(applied(TextEdits.apply(request(false, "a", "b"), Json.read("\"a\\n\""), null)), is("b\n"));
    }
}
