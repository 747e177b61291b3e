package dev.codelab.agent.tools;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.codelab.agent.agents.AgentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolCallValidatorTest {

    private final ToolCallValidator validator = new ToolCallValidator(ToolCatalog.load());

    @ParameterizedTest
    @CsvSource({
        "src/a.txt,true",
        ".,true",
        "a/b/../c,false",
        "..,false",
        "/etc/passwd,false",
        "~/x,false",
        "C:\\\\x,false",
        "a\\\\..\\\\b,false",
        "..hidden/file,true"
    })
    void pathsMustStayInsideTheWorkspace(String path, boolean ok) {
        assertThat(path, ToolCallValidator.isWorkspaceRelative(path), is(ok));
    }

    @Test
    void editFileNeedsAtLeastOneEditWithANonEmptyOldText() {
        assertThat(
                validator
                        .problem(AgentType.CODER, new ToolCall("c", "edit_file", """
                                                {"path":"a.txt","edits":[{"old_text":"x","new_text":""}],\
                                                "replace_all":true}\
                                                """))
                        .isPresent(),
                is(false));
        assertThat(
                validator
                        .problem(AgentType.CODER, new ToolCall("c", "edit_file", """
                                {"path":"a.txt","edits":[]}\
                                """))
                        .get(),
                startsWith("Invalid arguments for 'edit_file': "));
        assertThat(
                validator
                        .problem(AgentType.CODER, new ToolCall("c", "edit_file", """
                                                {"path":"a.txt","edits":[{"old_text":"","new_text":"y"}]}\
                                                """))
                        .get(),
                startsWith("Invalid arguments for 'edit_file': "));
        assertThat(
                validator
                        .problem(AgentType.CODER, new ToolCall("c", "edit_file", """
                                        {"path":"a.txt","edits":[{"old_text":"x"}]}\
                                        """))
                        .get(),
                containsString("required property 'new_text' not found"));
        assertThat(
                validator
                        .problem(AgentType.CODER, new ToolCall("c", "edit_file", """
                                                {"path":"../a.txt","edits":[{"old_text":"x","new_text":"y"}]}\
                                                """))
                        .get(),
                startsWith("'path' must be a path relative to the workspace"));
    }

    @Test
    void argumentsMustBeAJsonObjectMatchingTheSchema() {
        assertThat(
                validator
                        .problem(AgentType.CODER, new ToolCall("c", "read_file", """
                                {"path":"a"}\
                                """))
                        .isEmpty(),
                is(true));
        assertThat(
                validator
                        .problem(AgentType.CODER, new ToolCall("c", "read_file", "[1]"))
                        .isPresent(),
                is(true));
        assertThat(
                validator
                        .problem(AgentType.CODER, new ToolCall("c", "read_file", "{\"path\":"))
                        .isPresent(),
                is(true));
        assertThat(
                validator
                        .problem(AgentType.CODER, new ToolCall("c", "read_file", "{}"))
                        .get(),
                startsWith("Invalid arguments for 'read_file': "));
        assertThat(
                validator
                        .problem(AgentType.CODER, new ToolCall("c", "read_file", "{}"))
                        .get(),
                containsString("required property 'path' not found"));
        assertThat(
                validator
                        .problem(AgentType.CODER, new ToolCall("c", "execute_command", """
                                        {"command":"ls","timeout":"10"}\
                                        """))
                        .isPresent(),
                is(true));
    }

    @Test
    void agentsCallOnlyTheirOwnTools() {
        ToolCall write = new ToolCall("c", "write_file", """
                {"path":"a.md","content":"x"}\
                """);
        assertThat(validator.problem(AgentType.DEBUG, write).isPresent(), is(true));
        assertThat(validator.problem(AgentType.ARCHITECT, write).isEmpty(), is(true));
        ToolCall command = new ToolCall("c", "execute_command", """
                {"command":"ls"}\
                """);
        assertThat(validator.problem(AgentType.ASK, command).isPresent(), is(true));
        assertThat(validator.problem(AgentType.DEBUG, command).isEmpty(), is(true));
    }
}
