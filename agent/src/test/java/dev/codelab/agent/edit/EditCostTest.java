package dev.codelab.agent.edit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The measurement of docs/agent.md ("Editing files"): what the model must produce to change one line of a
 * 2 000-line source file, with {@code write_file} (the whole file) and with {@code edit_file} (that line).
 * Tokens are estimated as the runtime and the proxy do: 4 characters a token.
 */
class EditCostTest {

    static String sourceFile() {
        return IntStream.rangeClosed(1, 2000)
                .mapToObj(i -> switch (i % 4) {
                    case 1 -> "    /** Value " + i + " of the table, as the report shows it. */";
                    case 2 -> "    public int value" + i + "() {";
                    case 3 -> "        return table.get(" + i + ") * SCALE;";
                    default -> "    }";
                })
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static int tokens(ObjectNode arguments) {
        return Json.write(arguments).length() / 4;
    }

    @Test
    void changingOneLineOfA2000LineFileCostsTheModelALineNotAFile() {
        String before = sourceFile();
        String oldLine = "        return table.get(1003) * SCALE;";
        String newLine = "        return table.get(1003) * SCALE + OFFSET;";
        String after = before.replace(oldLine + "\n", newLine + "\n");
        // a cautious model quotes the whole method around the changed line (four lines)
        String context = before.substring(before.indexOf("    /** Value 1001 "), before.indexOf("    /** Value 1005 "));

        assertThat(before.length(), is(66_668));
        assertThat(tokens(writeFile(after)), is(17_178));
        assertThat(tokens(editFile(oldLine, newLine)), is(38));
        assertThat(tokens(editFile(context, context.replace(oldLine, newLine))), is(88));
        assertThat(applied(editFile(oldLine, newLine), before), is(after));
        assertThat(applied(editFile(context, context.replace(oldLine, newLine)), before), is(after));
    }

    private static ObjectNode writeFile(String content) {
        return Json.MAPPER.createObjectNode().put("path", "src/Table.java").put("content", content);
    }

    private static ObjectNode editFile(String oldText, String newText) {
        ObjectNode edit = Json.MAPPER.createObjectNode().put("path", "src/Table.java");
        edit.putArray("edits").addObject().put("old_text", oldText).put("new_text", newText);
        return edit;
    }

    private static String applied(ObjectNode arguments, String before) {
        return ((EditOutcome.Applied) TextEdits.apply(EditRequest.of(arguments), before)).after();
    }
}
