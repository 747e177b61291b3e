package dev.codelab.cli.chat;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.devstack.DevStack;
import dev.codelab.shared.http.Json;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The terminal client against the real stack ({@code codelab up}'s, with the fake model) rather than a fake
 * server: what the README's quick start promises.
 */
class ChatAgainstStackTest {

    private static final String PASSWORD = "demo-pass-for-tests";

    @TempDir
    static Path stackDir;

    private static DevStack stack;
    private static String url;

    @TempDir
    Path temp;

    private Path credentials;
    private Path workspace;

    @BeforeAll
    static void startStack() {
        // Access tokens live 30 s, so the client (which refreshes within 60 s of expiry) refreshes on every call.
        stack = DevStack.start(
                stackDir,
                DevStack.Ports.ephemeral(),
                true,
                Map.of(
                        "CODELAB_DEMO_PASSWORD", PASSWORD,
                        "LLM_PROXY__FAKE_DELAY_MS", "0",
                        "AUTH_SERVICE__ACCESS_TOKEN_LIFETIME", "30",
                        "AUTH_SERVICE__RATE_LIMIT_PER_IP", "1000"));
        url = "http://127.0.0.1:" + stack.ports().publicPort();
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        credentials = temp.resolve("credentials");
        workspace = Files.createDirectory(temp.resolve("ws"));
        Run login = run(new LoginCommand(), "--username", "demo", "--password", PASSWORD);
        assertThat(login.err(), login.exitCode(), is(0));
    }

    record Run(int exitCode, String out, String err) {}

    private Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        if (command instanceof ChatCommand chat) {
            chat.input = new ByteArrayInputStream(new byte[0]);
            chat.env = Map.of();
        } else if (command instanceof LoginCommand login) {
            login.input = new ByteArrayInputStream("".getBytes(StandardCharsets.UTF_8));
        }
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", url, "--credentials", credentials.toString()));
        int code = new CommandLine(command)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void oneShotCreatesAFileThroughTheApprovalAndPrintsTheSummary() throws Exception {
        Run chat =
                run(new ChatCommand(), "--dir", workspace.toString(), "--yes", "-m", "create a file hello.txt with hi");

        assertThat(chat.err(), chat.exitCode(), is(0));
        assertThat(Files.readString(workspace.resolve("hello.txt")), is("hi"));
        assertThat(chat.out(), startsWith("Done: write_file returned {\"success\":true"));
        assertThat(chat.err(), containsString("(needs approval: File modification requires user approval)"));
    }

    @Test
    void usagePrintsTheCallersCallsByDayModelAndSession() throws Exception {
        Run chat = run(new ChatCommand(), "--dir", workspace.toString(), "-m", "hello there");
        assertThat(chat.err(), chat.exitCode(), is(0));

        Run usage = run(new UsageCommand());
        for (int i = 0; i < 100 && !usage.out().contains("\nfake "); i++) {
            Thread.sleep(50);
            usage = run(new UsageCommand());
        }

        assertThat(usage.err(), usage.exitCode(), is(0));
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        assertThat(
                usage.out(), startsWith("Usage from " + today.withDayOfMonth(1) + " to " + today + " (UTC)\n\nDAY "));
        assertThat(usage.out(), containsString("\n" + today + " "));
        assertThat(usage.out(), containsString("\nTOTAL "));
        assertThat(run(new UsageCommand(), "--from", "someday").exitCode(), is(1));
    }

    @Test
    void theFakeModelEditsAFileInPlace() throws Exception {
        Files.writeString(workspace.resolve("hello.txt"), "say hi\r\nand hi again\r\n");

        Run chat = run(
                new ChatCommand(),
                "--dir",
                workspace.toString(),
                "--yes",
                "-m",
                "replace 'again' with 'once more' in hello.txt");

        assertThat(chat.err(), chat.exitCode(), is(0));
        assertThat(Files.readString(workspace.resolve("hello.txt")), is("say hi\r\nand hi once more\r\n"));
        assertThat(chat.err(), containsString("-and hi again\n+and hi once more\n"));
        assertThat(
                chat.out(),
                startsWith("Done: edit_file returned Edited hello.txt (1 edit applied): {\"success\":true"));
    }

    @Test
    void aSymlinkOutOfTheWorkspaceIsRefusedByTheClientAndTheAgentIsTold() throws Exception {
        // The agent runtime already refuses '..' and absolute paths; a link is only visible on the IDE's disk.
        Path outside = Files.createDirectory(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "do not leak");
        Files.createSymbolicLink(workspace.resolve("out"), outside);

        Run chat = run(new ChatCommand(), "--dir", workspace.toString(), "-m", "read file out/secret.txt");

        assertThat(chat.err(), chat.exitCode(), is(0));
        assertThat(chat.out() + chat.err(), not(containsString("do not leak")));
        assertThat(toolResults(), containsString("outside the workspace"));
    }

    @Test
    void aNearlyExpiredAccessTokenIsRefreshedTransparently() throws Exception {
        String before = refreshToken();

        Run sessions = run(new SessionsCommand(), "list");

        assertThat(sessions.err(), sessions.exitCode(), is(0));
        assertThat(refreshToken(), not(before));
    }

    private String refreshToken() throws Exception {
        return Json.read(Files.readString(credentials))
                .findValue("refresh_token")
                .asText();
    }

    /** The tool results of the newest session, read over the public REST API as the IDE would. */
    private String toolResults() throws Exception {
        String access = Json.read(Files.readString(credentials))
                .findValue("access_token")
                .asText();
        JsonNode sessions = get("/api/v1/sessions", access);
        String sessionId = sessions.path("sessions").get(0).path("session_id").asText();
        StringBuilder results = new StringBuilder();
        for (JsonNode message :
                get("/api/v1/sessions/" + sessionId + "/history", access).path("messages")) {
            if (message.path("role").asText().equals("tool")) {
                results.append(message.path("content").asText()).append('\n');
            }
        }
        return results.toString();
    }

    private static JsonNode get(String path, String access) throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + path))
                                .header("Authorization", "Bearer " + access)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(res.body(), res.statusCode(), is(200));
        return Json.read(res.body());
    }
}
