package dev.codelab.cli.chat;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.devstack.DevStack;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code edit_file} end to end (docs/agent.md, "Editing files"): a scripted model behind the real llmproxy, agent
 * runtime and gateway, and {@code codelab chat} running the tools on real files over the WebSocket.
 */
class EditFileAgainstStackTest {

    private static final String PASSWORD = "demo-pass-for-tests";

    @TempDir
    static Path stackDir;

    private static ScriptedLlm model;
    private static DevStack stack;
    private static String url;

    @TempDir
    Path temp;

    private Path credentials;
    private Path workspace;

    @BeforeAll
    static void startStack() throws Exception {
        model = new ScriptedLlm();
        stack = DevStack.start(
                stackDir,
                DevStack.Ports.ephemeral(),
                true,
                Map.of(
                        "CODELAB_DEMO_PASSWORD", PASSWORD,
                        "SCRIPTED_KEY", "not-a-real-key",
                        // a fresh stack empties its own directory
                        "LLM_PROXY__MODELS_FILE",
                                model.modelsFile(Files.createTempDirectory("scripted-model"))
                                        .toString(),
                        "LLM_PROXY__DEFAULT_MODEL", "scripted",
                        "AUTH_SERVICE__RATE_LIMIT_PER_IP", "1000"));
        url = "http://127.0.0.1:" + stack.ports().publicPort();
    }

    @AfterAll
    static void stopStack() {
        stack.close();
        model.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        model.reset();
        credentials = temp.resolve("credentials");
        workspace = Files.createDirectory(temp.resolve("ws"));
        LoginCommand login = new LoginCommand();
        login.input = new ByteArrayInputStream(new byte[0]);
        assertThat(
                new CommandLine(login)
                        .execute(
                                "--username",
                                "demo",
                                "--password",
                                PASSWORD,
                                "--url",
                                url,
                                "--credentials",
                                credentials.toString()),
                is(0));
    }

    record Run(int exitCode, String out, String err) {}

    /** {@code codelab chat -m} as the coder; {@code typed} is what the user answers to prompts. */
    private Run chat(String typed, String... options) {
        ChatCommand command = new ChatCommand();
        command.input = new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8));
        command.env = Map.of();
        List<String> args = new ArrayList<>(List.of(
                "--dir",
                workspace.toString(),
                "--agent",
                "coder",
                "-m",
                "change it",
                "--url",
                url,
                "--credentials",
                credentials.toString()));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(command)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private static String edit(String path, boolean replaceAll, String... oldNew) {
        StringBuilder edits = new StringBuilder();
        for (int i = 0; i < oldNew.length; i += 2) {
            edits.append(edits.isEmpty() ? "" : ",")
                    .append("{\"old_text\":")
                    .append(quoted(oldNew[i]))
                    .append(",\"new_text\":")
                    .append(quoted(oldNew[i + 1]))
                    .append('}');
        }
        return "{\"path\":\"" + path + "\",\"edits\":[" + edits + "]" + (replaceAll ? ",\"replace_all\":true" : "")
                + "}";
    }

    private static String quoted(String text) {
        return Json.write(Json.MAPPER.getNodeFactory().textNode(text));
    }

    @Test
    void oneEditChangesOneLineAndTheUserSeesTheDiffFirst() throws Exception {
        Files.writeString(workspace.resolve("f.txt"), "alpha\nbeta\ngamma\n");
        model.script("edit_file", edit("f.txt", false, "beta", "BETA"));

        Run run = chat("y\n");

        assertThat(run.err(), run.exitCode(), is(0));
        assertThat(Files.readString(workspace.resolve("f.txt")), is("alpha\nBETA\ngamma\n"));
        assertThat(
                run.err(),
                containsString("--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n alpha\n-beta\n+BETA\n gamma\n"
                        + "Allow write_file? [y]es / [n]o / [e]dit: "));
        assertThat(
                model.toolResultsOfTheLastRequest().getFirst(),
                startsWith("Edited f.txt (1 edit applied): {\"success\":true,\"path\":\"f.txt\""));
    }

    @Test
    void severalEditsInOneCall() throws Exception {
        Files.writeString(workspace.resolve("f.txt"), "a = 1\nb = 2\nc = 3\n");
        model.script("edit_file", edit("f.txt", false, "a = 1", "a = 10", "c = 3", "c = 30"));

        Run run = chat("", "--yes");

        assertThat(run.err(), run.exitCode(), is(0));
        assertThat(Files.readString(workspace.resolve("f.txt")), is("a = 10\nb = 2\nc = 30\n"));
        assertThat(model.toolResultsOfTheLastRequest().getFirst(), startsWith("Edited f.txt (2 edits applied): "));
    }

    @Test
    void replaceAllChangesEveryOccurrence() throws Exception {
        Files.writeString(workspace.resolve("f.txt"), "foo(1);\nfoo(2);\nbar(foo);\n");
        model.script("edit_file", edit("f.txt", true, "foo", "baz"));

        Run run = chat("", "--yes");

        assertThat(run.err(), run.exitCode(), is(0));
        assertThat(Files.readString(workspace.resolve("f.txt")), is("baz(1);\nbaz(2);\nbar(baz);\n"));
    }

    @Test
    void aCrlfFileKeepsItsLineEndings() throws Exception {
        Files.writeString(workspace.resolve("win.txt"), "one\r\ntwo\r\nthree\r\n");
        model.script("edit_file", edit("win.txt", false, "two\nthree", "2\n3\n4"));

        Run run = chat("", "--yes");

        assertThat(run.err(), run.exitCode(), is(0));
        assertThat(Files.readString(workspace.resolve("win.txt")), is("one\r\n2\r\n3\r\n4\r\n"));
    }

    @Test
    void anOldTextThatIsNotFoundIsTheModelsErrorAndItsRetrySucceeds() throws Exception {
        Files.writeString(workspace.resolve("f.txt"), "int count = 0;\nvoid inc() {\n    count++;\n}\n");
        // indented with a tab where the file has spaces: the usual slip of a model
        model.script(
                "edit_file",
                edit("f.txt", false, "\tcount++;", "\tcount += 2;"),
                "edit_file",
                edit("f.txt", false, "    count++;", "    count += 2;"));

        Run run = chat("", "--yes");

        assertThat(run.err(), run.exitCode(), is(0));
        assertThat(
                Files.readString(workspace.resolve("f.txt")), is("int count = 0;\nvoid inc() {\n    count += 2;\n}\n"));
        List<String> results = model.toolResultsOfTheLastRequest();
        assertThat(
                results.getFirst(),
                is("Error: edit_file changed nothing in f.txt: old_text was not found in the "
                        + "file (it must match exactly, including whitespace and indentation). The "
                        + "most similar lines (3-3) are:\n"
                        + "3:     count++;\nCopy old_text exactly from the file (without the line "
                        + "numbers) and try again."));
        assertThat(results.get(1), startsWith("Edited f.txt (1 edit applied): "));
        assertThat("the user never saw the failed edit", run.err().split("Allow write_file", -1).length, is(1));
    }

    @Test
    void aRejectedWriteLeavesTheFileUnchanged() throws Exception {
        Files.writeString(workspace.resolve("f.txt"), "keep me\n");
        model.script("edit_file", edit("f.txt", false, "keep", "drop"));

        Run run = chat("n\nnot this\n");

        assertThat(run.err(), run.exitCode(), is(0));
        assertThat(Files.readString(workspace.resolve("f.txt")), is("keep me\n"));
        assertThat(model.toolResultsOfTheLastRequest(), contains("rejected by the user: not this"));
    }

    @Test
    void aLargeFileWithOneChangedLineShowsAFewLinesOfDiff() throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            big.append("line ").append(i).append('\n');
        }
        Files.writeString(workspace.resolve("big.txt"), big);
        model.script("edit_file", edit("big.txt", false, "line 1234\n", "line 1234 changed\n"));

        Run run = chat("y\n");

        assertThat(run.err(), run.exitCode(), is(0));
        assertThat(
                Files.readString(workspace.resolve("big.txt")),
                is(big.toString().replace("line 1234\n", "line 1234 changed\n")));
        String diff = run.err()
                .substring(run.err().indexOf("--- a/big.txt"), run.err().indexOf("Allow write_file?"));
        assertThat(
                diff,
                is("--- a/big.txt\n+++ b/big.txt\n@@ -1231,7 +1231,7 @@\n line 1231\n line 1232\n line 1233\n"
                        + "-line 1234\n+line 1234 changed\n line 1235\n line 1236\n line 1237\n"));
        assertThat(diff.lines().count(), lessThan(12L));
    }

    @Test
    void protocol1SeesAPlainReadFileAndWriteFile() throws Exception {
        Files.writeString(workspace.resolve("f.txt"), "old\n");
        model.script("edit_file", edit("f.txt", false, "old", "new"));
        String access = Json.read(Files.readString(credentials))
                .findValue("access_token")
                .asText();
        WsClient socket = WsClient.open(
                        HttpClient.newHttpClient(),
                        URI.create(url.replace("http", "ws") + "/api/v1/ws/p1-edit?protocol=1"),
                        access)
                .waitingUpTo(Duration.ofSeconds(30));
        try {
            socket.sendText("""
                    {"type":"user_message","content":"change it","agent_type":"coder"}""");
            JsonNode read = nextToolCall(socket);
            assertThat(
                    Json.write(read.path("arguments")) + " " + read.path("requires_approval"),
                    is("{\"path\":\"f.txt\"} false"));
            assertThat(read.path("tool_name").asText(), is("read_file"));
            socket.sendText("{\"type\":\"tool_result\",\"call_id\":"
                    + quoted(read.path("call_id").asText()) + ",\"result\":{\"content\":\"old\\n\"}}");
            JsonNode write = nextToolCall(socket);
            assertThat(
                    write.path("tool_name").asText() + " " + Json.write(write.path("arguments")) + " "
                            + write.path("requires_approval") + " " + write.has("diff"),
                    is("write_file {\"path\":\"f.txt\",\"content\":\"new\\n\"} true false"));
            // protocol 1 approves with the tool's result after the IDE's own dialog
            socket.sendText("{\"type\":\"tool_result\",\"call_id\":"
                    + quoted(write.path("call_id").asText()) + ",\"result\":{\"success\":true}}");
            JsonNode answer = socket.poll(30);
            assertThat(String.valueOf(answer), answer.path("content").asText(), is("Done."));
            assertThat(
                    model.toolResultsOfTheLastRequest(), contains("Edited f.txt (1 edit applied): {\"success\":true}"));
        } finally {
            socket.abort();
        }
    }

    private static JsonNode nextToolCall(WsClient socket) {
        while (true) {
            JsonNode frame = socket.poll(30);
            if (frame == null) {
                throw new AssertionError("no tool_call within 30 s");
            }
            if (frame.path("type").asText().equals("tool_call")) {
                return frame;
            }
        }
    }
}
