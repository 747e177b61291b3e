package dev.codelab.cli.chat.tools;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolExecutorTest {

    @TempDir
    Path temp;

    private Path workspace;
    private Path outside;
    private ToolExecutor tools;

    @BeforeEach
    void setUp() throws IOException {
        workspace = Files.createDirectory(temp.resolve("ws"));
        outside = Files.writeString(temp.resolve("secret.txt"), "top secret");
        tools = new ToolExecutor(workspace);
    }

    private JsonNode run(String tool, String arguments) throws Exception {
        return tools.execute(tool, Json.read(arguments));
    }

    private String refusal(String tool, String arguments) {
        return assertThrows(ToolFailure.class, () -> run(tool, arguments)).getMessage();
    }

    @Test
    void writeFileCreatesParentsAndReportsWhatItWrote() throws Exception {
        JsonNode result = run("write_file", """
                {"path":"lib/hello.txt","content":"hi ü"}""");

        assertThat(result.toString(), is("""
                        {"success":true,"path":"lib/hello.txt","bytes_written":5,"created":true}"""));
        assertThat(Files.readString(workspace.resolve("lib/hello.txt")), is("hi ü"));
        assertThat(run("write_file", """
                        {"path":"lib/hello.txt","content":"again"}""").path("created").asBoolean(), is(false));
    }

    @Test
    void aWholeFileIsReadExactlyAndWrittenBackInItsOwnEncoding() throws Exception {
        Files.writeString(workspace.resolve("crlf.txt"), "a\r\nb\r\n");
        Files.write(
                workspace.resolve("latin.txt"), "caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThat(run("read_file", """
                {"path":"crlf.txt"}""").path("content").asText(), is("a\r\nb\r\n"));
        assertThat(run("read_file", """
                        {"path":"crlf.txt","start_line":2}""").path("content").asText(), is("b"));
        JsonNode latin = run("read_file", """
                {"path":"latin.txt"}""");
        assertThat(
                latin.path("content").asText() + " " + latin.path("encoding").asText(), is("caf\u00e9\n iso-8859-1"));

        run("write_file", """
                {"path":"latin.txt","content":"th\u00e9\\n"}""");
        assertThat(Files.readAllBytes(workspace.resolve("latin.txt")), is(new byte[] {'t', 'h', (byte) 0xE9, '\n'}));
        run("write_file", """
                {"path":"new.txt","content":"th\u00e9"}""");
        assertThat(
                Files.readAllBytes(workspace.resolve("new.txt")), is(new byte[] {'t', 'h', (byte) 0xC3, (byte) 0xA9}));
    }

    @Test
    void readFileWholeAndByLineRange() throws Exception {
        Files.writeString(workspace.resolve("a.txt"), "one\ntwo\nthree\n");

        assertThat(run("read_file", "{\"path\":\"a.txt\"}").toString(), is("""
                                {"path":"a.txt","content":"one\\ntwo\\nthree\\n","encoding":"utf-8",\
                                "total_lines":3,"start_line":1,"end_line":3}"""));
        assertThat(run("read_file", """
                        {"path":"a.txt","start_line":2,"end_line":9}""").path("content").asText(), is("two\nthree"));
        assertThat(refusal("read_file", """
                {"path":"a.txt","start_line":5}"""), containsString("Invalid line range"));
        assertThat(refusal("read_file", """
                {"path":"missing.txt"}"""), is("File not found: missing.txt"));
        assertThat(refusal("read_file", "{}"), is("read_file: argument 'path' (string) is required"));
    }

    @Test
    void listFilesFlatRecursiveAndByPattern() throws Exception {
        Files.createDirectories(workspace.resolve("src/main"));
        Files.writeString(workspace.resolve("src/main/App.java"), "class App {}");
        Files.writeString(workspace.resolve("README.md"), "# hi");
        Files.createDirectories(workspace.resolve(".git"));
        Files.writeString(workspace.resolve(".git/HEAD"), "ref");

        assertThat(run("list_files", "{\"path\":\".\"}").toString(), is("{\"path\":\".\",\"files\":[" + """
                                        {"path":"README.md","type":"file","size":4},{"path":"src",\
                                        "type":"directory"}],"truncated":false}"""));
        assertThat(paths(run("list_files", """
                        {"recursive":true}""")), contains("README.md", "src", "src/main", "src/main/App.java"));
        assertThat(paths(run("list_files", """
                        {"path":"src","recursive":true,"pattern":"*.java"}""")), contains("src/main/App.java"));
    }

    @Test
    void createDirectory() throws Exception {
        assertThat(run("create_directory", """
                {"path":"a/b"}""").toString(), is("""
                {"success":true,"path":"a/b"}"""));
        assertThat(Files.isDirectory(workspace.resolve("a/b")), is(true));
    }

    @Test
    void executeCommandInTheWorkspaceWithItsOutputAndExitCode() throws Exception {
        Files.createDirectory(workspace.resolve("sub"));

        JsonNode result = run("execute_command", """
                {"command":"pwd; echo oops >&2; exit 3","cwd":"sub"}""");

        assertThat(result.path("stdout").asText(), is(workspace.toRealPath().resolve("sub") + "\n"));
        assertThat(result.path("stderr").asText(), is("oops\n"));
        assertThat(result.path("exit_code").asInt(), is(3));
        assertThat(result.path("timed_out").asBoolean(), is(false));
    }

    @Test
    void aCommandOverItsTimeoutIsKilled() throws Exception {
        JsonNode result = run("execute_command", """
                {"command":"echo started; sleep 30","timeout":1}""");

        assertThat(result.path("timed_out").asBoolean(), is(true));
        assertThat(result.has("exit_code"), is(false));
        assertThat(result.path("stdout").asText(), is("started\n"));
        assertThat(refusal("execute_command", """
                        {"command":"true","timeout":0}"""), containsString("timeout must be between"));
    }

    @Test
    void searchInCodeLiteralRegexCaseAndLimits() throws Exception {
        Files.writeString(workspace.resolve("a.py"), "def Foo():\n    return foo_bar\n");
        Files.writeString(workspace.resolve("b.txt"), "FOO\n");
        Files.write(workspace.resolve("c.bin"), new byte[] {'f', 'o', 'o', 0});

        assertThat(
                run("search_in_code", """
                        {"query":"foo"}""").toString(),
                is("{\"matches\":["
                        + "{\"path\":\"a.py\",\"line\":1,\"text\":\"def Foo():\"},"
                        + "{\"path\":\"a.py\",\"line\":2,\"text\":\"    return foo_bar\"},"
                        + """
                                {"path":"b.txt","line":1,"text":"FOO"}],"count":3,"truncated":false}"""));
        assertThat(run("search_in_code", """
                        {"query":"foo","case_sensitive":true}""").path("count").asInt(), is(1));
        assertThat(run("search_in_code", """
                        {"query":"^def \\\\w+","regex":true}""").path("count").asInt(), is(1));
        assertThat(run("search_in_code", """
                        {"query":"foo","file_pattern":"*.txt"}""").path("count").asInt(), is(1));
        JsonNode limited = run("search_in_code", """
                {"query":"foo","max_results":2}""");
        assertThat(limited.path("count").asInt(), is(2));
        assertThat(limited.path("truncated").asBoolean(), is(true));
        assertThat(refusal("search_in_code", """
                {"query":"(","regex":true}"""), containsString("Invalid regex"));
    }

    @Test
    void pathsLeavingTheWorkspaceAreRefused() throws Exception {
        assertThat(refusal("read_file", """
                        {"path":"../secret.txt"}"""), is("Path '../secret.txt' is outside the workspace"));
        assertThat(refusal("write_file", """
                        {"path":"a/../../x","content":""}"""), is("Path 'a/../../x' is outside the workspace"));
        assertThat(
                refusal("read_file", "{\"path\":\"" + outside + "\"}"),
                containsString("is outside the workspace: absolute paths are not allowed"));
        assertThat(refusal("list_files", """
                {"path":".."}"""), is("Path '..' is outside the workspace"));
        assertThat(refusal("execute_command", """
                        {"command":"ls","cwd":".."}"""), is("Path '..' is outside the workspace"));
        assertThat(refusal("search_in_code", """
                        {"query":"x","path":"../"}"""), is("Path '../' is outside the workspace"));
        assertThat(Files.exists(temp.resolve("x")), is(false));
    }

    @Test
    void symlinksOutOfTheWorkspaceAreRefused() throws Exception {
        Files.createSymbolicLink(workspace.resolve("leak.txt"), outside);
        Files.createSymbolicLink(workspace.resolve("out"), temp);
        Files.createSymbolicLink(workspace.resolve("dangling"), temp.resolve("not-yet"));

        assertThat(refusal("read_file", """
                {"path":"leak.txt"}"""), is("Path 'leak.txt' is outside the workspace"));
        assertThat(refusal("write_file", """
                        {"path":"out/new.txt","content":"x"}"""), is("Path 'out/new.txt' is outside the workspace"));
        assertThat(refusal("write_file", """
                {"path":"dangling","content":"x"}"""), containsString("dangling"));
        assertThat(Files.exists(temp.resolve("new.txt")), is(false));
        assertThat(Files.exists(temp.resolve("not-yet")), is(false));
        assertThat(Files.readString(outside), is("top secret"));
    }

    @Test
    void aSymlinkInsideTheWorkspaceIsFine() throws Exception {
        Files.writeString(workspace.resolve("real.txt"), "ok");
        Files.createSymbolicLink(workspace.resolve("alias.txt"), workspace.resolve("real.txt"));

        assertThat(run("read_file", """
                {"path":"alias.txt"}""").path("content").asText(), is("ok"));
    }

    @Test
    void anUnknownToolIsAFailure() {
        assertThat(refusal("delete_everything", "{}"), containsString("Unknown tool 'delete_everything'"));
    }

    private static List<String> paths(JsonNode listing) {
        return StreamSupport.stream(listing.path("files").spliterator(), false)
                .map(f -> f.path("path").asText())
                .toList();
    }
}
