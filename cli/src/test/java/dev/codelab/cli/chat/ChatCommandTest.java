package dev.codelab.cli.chat;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.client.testing.FakeCodeLab;
import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ChatCommandTest {

    @TempDir
    Path temp;

    private final FakeCodeLab fake = FakeCodeLab.start();
    private final ScriptedAgent agent = new ScriptedAgent();
    private Path credentials;
    private Path workspace;

    @BeforeEach
    void setUp() throws Exception {
        fake.onClientFrame(agent);
        credentials = temp.resolve("config/codelab/credentials");
        workspace = Files.createDirectory(temp.resolve("ws"));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** What a command printed and returned. */
    record Run(int exitCode, String out, String err) {}

    private Run run(Object command, String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        if (command instanceof ChatCommand chat) {
            chat.input = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
            chat.env = Map.of();
        } else if (command instanceof LoginCommand login) {
            login.input = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        }
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", fake.url(), "--credentials", credentials.toString()));
        int code = new CommandLine(command)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private Run chat(String input, String... args) {
        List<String> all = new ArrayList<>(List.of("--dir", workspace.toString()));
        all.addAll(List.of(args));
        return run(new ChatCommand(), input, all.toArray(String[]::new));
    }

    private void login() {
        Run login = run(new LoginCommand(), "", "--username", FakeCodeLab.USERNAME, "--password", FakeCodeLab.PASSWORD);
        assertThat(login.err(), login.exitCode(), is(0));
    }

    private List<String> received() {
        return fake.session("s-1").received().stream().map(JsonNode::toString).toList();
    }

    @Test
    void loginStoresTheTokensInAFileOnlyTheUserCanRead() throws Exception {
        Run login = run(new LoginCommand(), FakeCodeLab.USERNAME + "\n" + FakeCodeLab.PASSWORD + "\n");

        assertThat(login.err(), login.exitCode(), is(0));
        assertThat(login.out(), containsString("Logged in to " + fake.url() + " as demo."));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)), is("rw-------"));
        assertThat(Files.readString(credentials), containsString("\"refresh_token\" : \"refresh-1\""));
        assertThat(Files.readString(credentials), not(containsString(FakeCodeLab.PASSWORD)));
    }

    @Test
    void aWrongPasswordFailsTheLogin() {
        Run login = run(new LoginCommand(), "", "--username", "demo", "--password", "wrong");

        assertThat(login.exitCode(), is(1));
        assertThat(login.err(), containsString("login failed: Invalid username or password (HTTP 401)"));
    }

    @Test
    void oneShotCreatesAFileThroughAnApprovedWriteAndPrintsTheSummary() throws Exception {
        login();

        Run chat = chat("", "--yes", "-m", "create a file hello.txt with hi there");

        assertThat(chat.err(), chat.exitCode(), is(0));
        assertThat(chat.out(), is("Done: hello.txt is ready.\n"));
        assertThat(Files.readString(workspace.resolve("hello.txt")), is("hi there"));
        assertThat(chat.err(), containsString("[orchestrator -> coder: code change]"));
        assertThat(
                chat.err(),
                containsString("* write_file {\"path\":\"hello.txt\",\"content\":\"hi there\"}  (needs approval: File "
                        + "modification requires user approval)"));
        assertThat(received(), contains("""
                                {"type":"user_message","content":"create a file hello.txt with hi there"}""", """
                                {"type":"hitl_decision","call_id":"call_write_file","decision":"approve"}""", """
                                {"type":"tool_result","call_id":"call_write_file","result":{"success":true,\
                                "path":"hello.txt","bytes_written":8,"created":true}}"""));
        assertThat(fake.apiRequests().get(0).body(), is("""
                {"title":"create a file hello.txt with hi there"}"""));
    }

    @Test
    void aPathOutsideTheWorkspaceIsReportedToTheAgentAsAToolError() throws Exception {
        Files.writeString(temp.resolve("secret.txt"), "do not leak");
        login();

        Run chat = chat("", "-m", "read ../secret.txt");

        assertThat(chat.err(), chat.exitCode(), is(0));
        assertThat(received().get(1), is("""
                                {"type":"tool_result","call_id":"call_read_file",\
                                "error":"Path '../secret.txt' is outside the workspace"}"""));
        assertThat(chat.out(), is("I could not do that: Path '../secret.txt' is outside the workspace\n"));
        assertThat(chat.out() + chat.err(), not(containsString("do not leak")));
    }

    @Test
    void theUserRejectsAtThePromptWithFeedback() {
        login();

        Run chat = chat("n\nnot in this folder\n", "-m", "create a file a.txt with x");

        assertThat(chat.exitCode(), is(0));
        assertThat(received().get(1), is("""
                                {"type":"hitl_decision","call_id":"call_write_file","decision":"reject",\
                                "feedback":"not in this folder"}"""));
        assertThat(Files.exists(workspace.resolve("a.txt")), is(false));
        assertThat(chat.err(), containsString("Allow write_file? [y]es / [n]o / [e]dit: "));
    }

    @Test
    void theUserEditsTheArgumentsInlineWithoutAnEditor() throws Exception {
        login();

        Run chat = chat("maybe\ne\n{\"path\":\"b.txt\",\"content\":\"edited\"}\n", "-m", "create a file a.txt with x");

        assertThat(chat.err(), chat.exitCode(), is(0));
        assertThat(chat.err(), containsString("Please answer y, n or e."));
        assertThat(received().get(1), is("""
                                {"type":"hitl_decision","call_id":"call_write_file","decision":"edit",\
                                "modified_arguments":{"path":"b.txt","content":"edited"}}"""));
        assertThat(Files.readString(workspace.resolve("b.txt")), is("edited"));
        assertThat(Files.exists(workspace.resolve("a.txt")), is(false));
    }

    @Test
    void oneShotExitsNonZeroWhenTheTurnFails() {
        login();

        Run chat = chat("", "-m", "fail");

        assertThat(chat.exitCode(), is(1));
        assertThat(chat.err(), containsString("error LLM_ERROR: The model is unavailable"));
        assertThat(chat.err(), containsString("The turn ended with 'error' (session s-1)."));
    }

    @Test
    void aDropMidAnswerIsResumedWithoutLosingText() throws Exception {
        login();
        agent.midAnswer(() -> fake.session("s-1").close(1001));

        Run chat = chat("", "--yes", "-m", "create a file c.txt with more text here");

        assertThat(chat.err(), chat.exitCode(), is(0));
        assertThat(chat.out(), is("Done: c.txt is ready.\n"));
        assertThat(chat.err(), containsString("reconnecting"));
        assertThat(fake.session("s-1").connectLastSeqs().size(), is(2));
    }

    @Test
    void aContinuedSessionFirstDecidesItsPendingApprovals() throws Exception {
        login();
        fake.addSession("abc", "earlier");
        agent.awaiting("call_9", "a.txt", "x");

        Run chat = chat("y\n", "--session", "abc", "-m", "thanks");

        assertThat(chat.err(), chat.exitCode(), is(0));
        assertThat(Files.readString(workspace.resolve("a.txt")), is("x"));
        assertThat(
                "the diff comes before the question",
                chat.err(),
                containsString(
                        "--- a/a.txt\n+++ b/a.txt\n@@ -0,0 +1 @@\n+x\nAllow write_file? [y]es / [n]o / [e]dit: "));
        assertThat(
                fake.session("abc").received().stream().map(JsonNode::toString).toList(), contains("""
                                {"type":"hitl_decision","call_id":"call_9","decision":"approve"}""", """
                                {"type":"tool_result","call_id":"call_9","result":{"success":true,\
                                "path":"a.txt","bytes_written":1,"created":true}}""", """
                                {"type":"user_message","content":"thanks"}"""));
        assertThat(chat.out(), is("You said: thanks\n"));
    }

    @Test
    void withoutLoginTheUserIsToldToLogIn() {
        Run chat = chat("", "-m", "hello");

        assertThat(chat.exitCode(), is(1));
        assertThat(chat.err(), containsString("Not logged in. Run: codelab login --url " + fake.url()));
    }

    @Test
    void interactiveChatLogsInFirstWhenNeeded() throws Exception {
        Run chat = chat(FakeCodeLab.USERNAME + "\n" + FakeCodeLab.PASSWORD + "\nhello\n/quit\n");

        assertThat(chat.err(), chat.exitCode(), is(0));
        assertThat(chat.err(), containsString("Not logged in. Log in to " + fake.url() + ":"));
        assertThat(chat.out(), containsString("Logged in to " + fake.url() + " as demo."));
        assertThat(chat.out(), containsString("You said: hello\n"));
        assertThat(Files.readString(credentials), containsString("refresh-1"));
    }

    @Test
    void interactiveStreamsTextAndRunsSlashCommands() {
        login();

        Run chat = chat("hello there\n/switch debug\n/history\n/help\n/bogus\n/quit\nnever sent\n", "--agent", "ask");

        assertThat(chat.err(), chat.exitCode(), is(0));
        assertThat(chat.out(), containsString("You said: hello there\n"));
        assertThat(chat.out(), containsString("[orchestrator -> debug: requested in the terminal]"));
        assertThat(chat.out(), containsString("assistant (ask): Hi there"));
        assertThat(chat.out(), containsString(ChatCommand.HELP + "\n"));
        assertThat(
                chat.out(),
                containsString(
                        "  /switch <agent>  make orchestrator, coder, architect, debug or ask the current agent\n"));
        assertThat(chat.out(), containsString("Unknown command /bogus. /help lists the commands.\n"));
        assertThat(
                received(),
                contains("{\"type\":\"user_message\",\"content\":\"hello there\",\"agent_type\":\"ask\"}", """
                                {"type":"switch_agent","agent_type":"debug",\
                                "reason":"requested in the terminal"}"""));
    }

    @Test
    void aBrokenOffAnswerIsOfferedAndResumedWithSlashContinueAndSlashCondenseShowsWhatItSaved() {
        login();

        Run chat = chat("break\n/continue\n/condense\n/condense\n/quit\n");

        assertThat(chat.err(), chat.exitCode(), is(0));
        assertThat(chat.out(), containsString("The answer broke\n"));
        assertThat(chat.out(), containsString("[turn ended: error; type /continue to resume the answer]\n"));
        assertThat(chat.out(), containsString("off and is finished.\n"));
        assertThat(
                chat.out(),
                containsString(
                        "[context condensed: 140 older messages summarised, about 91000 -> 22000 " + "tokens]\n"));
        assertThat(
                chat.out(),
                containsString("Nothing to condense: the conversation is short enough to be kept as it is"));
        assertThat(received(), contains("""
                                {"type":"user_message","content":"break"}""", """
                                {"type":"continue"}""", """
                                {"type":"condense"}""", """
                                {"type":"condense"}"""));
    }

    @Test
    void oneShotTellsHowToResumeABrokenOffAnswer() {
        login();

        Run chat = chat("", "-m", "break");

        assertThat(chat.exitCode(), is(1));
        assertThat(
                chat.err(),
                containsString("The turn ended with 'error' (session s-1). Resume it with: codelab chat "
                        + "--session s-1, then /continue"));
    }

    @Test
    @Timeout(30)
    void slashCancelTypedDuringATurnCancelsIt() throws Exception {
        login();
        PipedOutputStream keyboard = new PipedOutputStream();
        ChatCommand command = new ChatCommand();
        command.input = new PipedInputStream(keyboard);
        command.env = Map.of();
        StringWriter out = new StringWriter();
        Thread user = Thread.ofVirtual().start(() -> {
            try {
                keyboard.write("slow\n".getBytes(StandardCharsets.UTF_8));
                keyboard.flush();
                while (fake.session("s-1").emitted().size() < 3) { // the turn is running
                    Thread.sleep(10);
                }
                keyboard.write("/cancel\n/quit\n".getBytes(StandardCharsets.UTF_8));
                keyboard.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CommandLine cli =
                new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()));

        int code = cli.execute(
                "--dir", workspace.toString(), "--url", fake.url(), "--credentials", credentials.toString());
        user.join();

        assertThat(code, is(0));
        assertThat(received(), contains("""
                {"type":"user_message","content":"slow"}""", """
                {"type":"cancel"}"""));
        assertThat(out.toString(), containsString("[turn ended: cancelled]"));
    }

    @Test
    void sessionsListShowDelete() {
        login();
        fake.addSession("abc", "old work");

        Run list = run(new SessionsCommand(), "");
        assertThat(list.err(), list.exitCode(), is(0));
        assertThat(list.out(), containsString("abc"));
        assertThat(list.out(), containsString("old work"));
        assertThat(list.out(), containsString("1 of 1 sessions"));

        Run show = run(new SessionsCommand(), "", "show", "abc");
        assertThat(show.out(), containsString("Session abc \"old work\""));
        assertThat(show.out(), containsString("user: hello"));

        StringWriter before = new StringWriter();
        int code = new CommandLine(new SessionsCommand())
                .setOut(new PrintWriter(before))
                .execute("--url", fake.url(), "--credentials", credentials.toString(), "list", "--limit", "5");
        assertThat("options before the subcommand count", code, is(0));
        assertThat(before.toString(), containsString("old work"));

        assertThat(run(new SessionsCommand(), "", "delete", "abc").out(), is("Deleted session abc.\n"));
        Run missing = run(new SessionsCommand(), "", "show", "abc");
        assertThat(missing.exitCode(), is(1));
        assertThat(missing.err(), containsString("Session not found (HTTP 404)"));
    }
}
