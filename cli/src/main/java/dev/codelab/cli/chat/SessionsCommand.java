package dev.codelab.cli.chat;

import dev.codelab.client.CodeLabClient;
import dev.codelab.client.HistoryMessage;
import dev.codelab.client.Session;
import dev.codelab.client.SessionPage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code codelab sessions [list|show ID|delete ID]}. */
@Command(
        name = "sessions",
        mixinStandardHelpOptions = true,
        description = "List, show or delete your chat sessions (default: list).")
public final class SessionsCommand implements Callable<Integer> {

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return list(server, 20, 0);
    }

    @Command(name = "list", description = "Your sessions, newest activity first.")
    int list(
            @Mixin ServerOptions options,
            @Option(names = "--limit", defaultValue = "20") int limit,
            @Option(names = "--offset", defaultValue = "0") int offset) {
        return run(options, client -> {
            SessionPage page = client.sessions().list(limit, offset);
            PrintWriter out = out();
            out.printf("%-40s %-13s %8s  %-20s %s%n", "SESSION", "AGENT", "MESSAGES", "LAST ACTIVITY", "TITLE");
            for (Session s : page.sessions()) {
                out.printf(
                        "%-40s %-13s %8d  %-20s %s%n",
                        s.sessionId(),
                        s.currentAgent(),
                        s.messageCount(),
                        s.lastActivity() == null ? "-" : s.lastActivity(),
                        s.title() == null ? "" : s.title());
            }
            out.println(page.sessions().size() + " of " + page.total() + " sessions");
        });
    }

    @Command(name = "show", description = "A session and its messages.")
    int show(@Mixin ServerOptions options, @Parameters(paramLabel = "ID") String id) {
        return run(options, client -> {
            Session s = client.sessions().get(id);
            PrintWriter out = out();
            out.println("Session " + s.sessionId() + (s.title() == null ? "" : " \"" + s.title() + "\""));
            out.println("created " + s.createdAt() + ", current agent " + s.currentAgent() + ", " + s.messageCount()
                    + " messages");
            for (HistoryMessage m : client.sessions().history(id).messages()) {
                out.println("[" + m.timestamp() + "] " + m.role()
                        + (m.agentName() == null ? "" : " (" + m.agentName() + ")") + ": "
                        + (m.content() == null ? "" : m.content()));
            }
        });
    }

    @Command(name = "delete", description = "Delete a session with its messages.")
    int delete(@Mixin ServerOptions options, @Parameters(paramLabel = "ID") String id) {
        return run(options, client -> {
            client.sessions().delete(id);
            out().println("Deleted session " + id + ".");
        });
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private int run(ServerOptions given, Consumer<CodeLabClient> action) {
        ServerOptions options = given == server ? server : given.orElse(server);
        return options.run(spec, "sessions", action);
    }
}
