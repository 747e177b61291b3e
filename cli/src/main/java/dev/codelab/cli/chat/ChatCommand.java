package dev.codelab.cli.chat;

import dev.codelab.cli.chat.tools.ToolExecutor;
import dev.codelab.client.AuthenticationRequiredException;
import dev.codelab.client.ChatConnection;
import dev.codelab.client.CodeLabClient;
import dev.codelab.client.CodeLabException;
import dev.codelab.client.HistoryMessage;
import dev.codelab.client.PendingApproval;
import dev.codelab.client.ServerFrame;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code codelab chat}: a terminal IDE. Interactive by default; {@code -m} sends one message, prints the answer
 * and exits 0 when the turn completed (1 otherwise).
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = {
            "Talk to the CodeLab agents; they read and change files in the workspace directory.",
            "Commands: /help, /cancel, /continue, /condense, /switch <agent>, /history, /quit."
        })
public final class ChatCommand implements Callable<Integer> {

    /** What {@code /help} prints: every slash command of the interactive mode. */
    static final String HELP = """
            Commands:
              /help            this list
              /cancel          stop the running turn (type it while the agent works)
              /continue        resume an answer the model broke off (offered when it happens)
              /condense        summarise the older conversation now, to free the context window
              /switch <agent>  make orchestrator, coder, architect, debug or ask the current agent
              /history         print the session's messages
              /quit, /exit     leave (resume later with --session <id>)
            Anything else is sent to the agent.""";

    /** A turn with no frame at all for this long is abandoned (the gateway's own stall timeout is 120 s). */
    private static final Duration QUIET_LIMIT = Duration.ofMinutes(5);
    /** {@code switch_agent} makes no LLM call; its done comes at once. */
    private static final Duration SWITCH_LIMIT = Duration.ofSeconds(15);

    @Mixin
    ServerOptions server;

    @Option(names = "--session", description = "Session id to continue (default: a new session).")
    String sessionId;

    @Option(names = "--dir", description = "Workspace directory the tools may touch (default: the current directory).")
    Path dir = Path.of(".");

    @Option(names = "--agent", description = "Agent for the first message: orchestrator, coder, architect, debug, ask.")
    String agent;

    @Option(names = "--yes", description = "Approve every tool call without asking.")
    boolean yes;

    @Option(
            names = {"-m", "--message"},
            description = "Send this message, print the answer and exit.")
    String message;

    @Spec
    CommandSpec spec;

    InputStream input = System.in;
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Terminal terminal = new Terminal(input, spec.commandLine().getOut(), err);
        String url = server.serverUrl(true);
        CodeLabClient client = server.client(url);
        ToolExecutor tools;
        try {
            tools = new ToolExecutor(dir);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            err.println("chat: " + e.getMessage());
            return 2;
        }
        try {
            if (!loggedIn(client, url, terminal)) {
                return 1;
            }
            String session = sessionId != null
                    ? sessionId
                    : client.sessions().create(title()).sessionId();
            ChatPrinter printer =
                    new ChatPrinter(terminal, message == null, terminal.isTerminal() && !env.containsKey("NO_COLOR"));
            ChatEvents events = new ChatEvents();
            try (ChatConnection chat = client.connect(session, events, 0)) {
                Approver approver = yes ? Approver.approveAll() : new PromptApprover(terminal, env);
                TurnRunner turns = new TurnRunner(chat, events, tools, approver, printer);
                if (sessionId != null) {
                    decidePending(client, turns, session);
                }
                if (message != null) {
                    return oneShot(chat, turns, printer, session);
                }
                printer.info("Session " + session + " on " + url + ", workspace " + tools.root()
                        + ". /quit to leave (resume with --session " + session + ").");
                interactive(client, chat, turns, terminal, printer, session);
                return 0;
            }
        } catch (AuthenticationRequiredException e) {
            err.println("chat: " + e.getMessage() + " Run: codelab login --url " + url);
            return 1;
        } catch (CodeLabException e) {
            err.println("chat: " + e.getMessage() + (e.status() > 0 ? " (HTTP " + e.status() + ")" : ""));
            return 1;
        }
    }

    /** Interactive mode logs in on the spot (the README's quick start); one-shot mode never prompts for it. */
    private boolean loggedIn(CodeLabClient client, String url, Terminal terminal) {
        try {
            client.accessToken();
            return true;
        } catch (AuthenticationRequiredException e) {
            if (message != null) {
                throw e;
            }
            terminal.err().println(e.getMessage() + " Log in to " + url + ":");
            return LoginPrompt.logIn(client, url, null, null, terminal);
        }
    }

    private String title() {
        if (message == null) {
            return "codelab chat";
        }
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }

    /** A continued session may still wait for decisions on earlier tool calls; ask for them before anything else. */
    private static void decidePending(CodeLabClient client, TurnRunner turns, String session)
            throws InterruptedException {
        for (PendingApproval pending : client.sessions().pendingApprovals(session)) {
            turns.resume(
                    new ServerFrame.ToolCall(
                            0,
                            pending.callId(),
                            pending.toolName(),
                            pending.arguments(),
                            true,
                            pending.reason(),
                            null,
                            pending.diff()),
                    QUIET_LIMIT);
        }
    }

    private int oneShot(ChatConnection chat, TurnRunner turns, ChatPrinter printer, String session)
            throws InterruptedException {
        chat.userMessage(message, agent);
        TurnRunner.Outcome outcome = turns.run(QUIET_LIMIT);
        printer.answer(outcome.answer());
        if (!outcome.completed()) {
            printer.info("The turn ended with '" + outcome.reason() + "' (session " + session + ")."
                    + (outcome.resumable()
                            ? " Resume it with: codelab chat --session " + session + ", then /continue"
                            : ""));
            return 1;
        }
        return 0;
    }

    private void interactive(
            CodeLabClient client,
            ChatConnection chat,
            TurnRunner turns,
            Terminal terminal,
            ChatPrinter printer,
            String session)
            throws InterruptedException {
        String firstAgent = agent;
        while (true) {
            Optional<String> read = terminal.readLine("> ");
            if (read.isEmpty()) {
                return;
            }
            String line = read.get().strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("/")) {
                if (!slashCommand(line, client, chat, turns, terminal, printer, session)) {
                    return;
                }
                continue;
            }
            if (!chat.isOpen()) {
                printer.info("Reconnecting...");
                chat.reconnect();
            }
            chat.userMessage(line, firstAgent);
            firstAgent = null;
            followTurn(chat, turns, terminal, printer);
        }
    }

    /**
     * Follows a turn to its end; {@code /cancel} typed meanwhile stops it, and a broken-off answer offers /continue.
     */
    private static void followTurn(ChatConnection chat, TurnRunner turns, Terminal terminal, ChatPrinter printer)
            throws InterruptedException {
        terminal.intercept(typed -> {
            if (typed.strip().equals("/cancel")) {
                chat.cancel();
                return true;
            }
            return false;
        });
        try {
            TurnRunner.Outcome outcome = turns.run(QUIET_LIMIT);
            if (outcome.resumable()) {
                printer.info("[turn ended: " + outcome.reason() + "; type /continue to resume the answer]");
            } else if (!outcome.completed() && outcome.reason() != null) {
                printer.info("[turn ended: " + outcome.reason() + "]");
            }
        } finally {
            terminal.intercept(typed -> false);
        }
    }

    /** Runs a slash command; false means quit. */
    private boolean slashCommand(
            String line,
            CodeLabClient client,
            ChatConnection chat,
            TurnRunner turns,
            Terminal terminal,
            ChatPrinter printer,
            String session)
            throws InterruptedException {
        String[] words = line.split("\\s+", 2);
        switch (words[0]) {
            case "/quit", "/exit" -> {
                return false;
            }
            case "/help" -> printer.info(HELP);
            case "/cancel" -> printer.info("No turn is running.");
            case "/continue" -> {
                chat.continueTurn();
                followTurn(chat, turns, terminal, printer);
            }
            case "/condense" -> {
                chat.condense();
                followTurn(chat, turns, terminal, printer);
            }
            case "/switch" -> {
                if (words.length < 2) {
                    printer.info("Usage: /switch <orchestrator|coder|architect|debug|ask>");
                } else {
                    chat.switchAgent(words[1].strip(), "requested in the terminal");
                    turns.run(SWITCH_LIMIT);
                }
            }
            case "/history" -> {
                for (HistoryMessage m : client.sessions().history(session).messages()) {
                    printer.info(m.role() + (m.agentName() == null ? "" : " (" + m.agentName() + ")") + ": "
                            + (m.content() == null ? "" : m.content()));
                }
            }
            default -> printer.info("Unknown command " + words[0] + ". /help lists the commands.");
        }
        return true;
    }
}
