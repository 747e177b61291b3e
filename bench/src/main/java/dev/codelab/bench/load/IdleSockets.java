package dev.codelab.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 3: authenticated WebSockets held open and idle on one gateway, and the memory of the process that
 * serves them. The clients run in a child JVM ({@link IdleClients}), so this process holds only the server
 * side: its RSS is the whole stack's (gateway, auth, agent and llmproxy share the JVM), an upper bound for the
 * gateway alone, and the sockets count against each side's own open-files limit.
 */
final class IdleSockets {

    static final String NAME = "idle-sockets";
    private static final int TARGET = 10_000;

    private IdleSockets() {}

    static List<Result> run(BenchStack bench, String access, boolean quick, Report log) throws Exception {
        long heapBefore = Memory.heapAfterGc();
        long rssBefore = Memory.rss();
        long[] after = new long[2];
        Held held = hold(bench.webSocketUrl(""), access, quick, log, () -> {
            after[0] = Memory.heapAfterGc();
            after[1] = Memory.rss();
        });
        long heapAfter = after[0];
        long rssAfter = after[1];
        return List.of(
                held.count(NAME),
                held.against(
                        NAME,
                        "RSS of the stack's process with them open (gateway + auth + agent + llmproxy)",
                        Memory.mb(rssAfter),
                        "≤ 500 MB",
                        rssAfter <= 500L * 1048576),
                Result.info(
                        NAME,
                        "RSS / heap growth per socket (server side)",
                        String.format(
                                "%.1f KB / %.1f KB",
                                (rssAfter - rssBefore) / 1024.0 / Math.max(1, held.held()),
                                (heapAfter - heapBefore) / 1024.0 / Math.max(1, held.held()))),
                Result.info(NAME, "opening rate", String.format("%.0f sockets/s", held.open() / held.openSeconds())));
    }

    /** What to measure while the sockets are open. */
    @FunctionalInterface
    interface WhileHeld {
        void run() throws Exception;
    }

    /**
     * What the clients held: sockets opened and how long that took, and how many were still open after the hold.
     *
     * @param wanted how many were to be opened
     */
    record Held(int wanted, int holdSeconds, int open, double openSeconds, int held) {

        /** The row of sockets held, against the target of 10 000 for 60 s. */
        Result count(String scenario) {
            String metric = "idle authenticated sockets held " + holdSeconds + " s (" + wanted
                    + " wanted, clients in a child process)";
            return against(scenario, metric, String.valueOf(held), "10000 for 60 s", held >= TARGET);
        }

        /** A row whose target is stated for 10 000 sockets: not measured with fewer (a quick run). */
        Result against(String scenario, String metric, String measured, String target, boolean met) {
            return wanted < TARGET
                    ? new Result(scenario, metric, measured, target, "NOT MEASURED at 10000")
                    : Result.against(scenario, metric, measured, target, met);
        }
    }

    /**
     * Opens idle sockets on the gateway at {@code socketBase} from a child JVM ({@link IdleClients}), 1 000 (quick)
     * or 10 000, holds them 10 s (quick) or 60 s, and counts those still open; they stay open until this returns.
     * {@code whileHeld} runs then, before they are closed.
     */
    static Held hold(String socketBase, String access, boolean quick, Report log, WhileHeld whileHeld)
            throws Exception {
        long fdLimit = Memory.openFilesLimit(4096);
        int wanted = (int) Math.min(quick ? 1_000 : TARGET, fdLimit - 2_000);
        int holdSeconds = quick ? 10 : 60;
        Process clients = startClients(socketBase, wanted, quick ? "45" : "240");
        try (PrintWriter commands = new PrintWriter(clients.getOutputStream(), true, StandardCharsets.UTF_8);
                BufferedReader answers =
                        new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8))) {
            commands.println(access);
            String[] opened = expect(answers, "opened");
            int open = Integer.parseInt(opened[1]);
            double openSeconds = Double.parseDouble(opened[3]);
            log.progress(
                    "%s: %d open, %s failed in %.1f s; holding %d s", NAME, open, opened[2], openSeconds, holdSeconds);
            Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
            commands.println("count");
            int held = Integer.parseInt(expect(answers, "held")[1]);
            whileHeld.run();
            return new Held(wanted, holdSeconds, open, openSeconds, held);
        } finally {
            clients.getOutputStream().close();
            if (!clients.waitFor(30, TimeUnit.SECONDS)) {
                clients.destroyForcibly();
            }
        }
    }

    /** The child JVM of {@link IdleClients}, to open {@code wanted} sockets within {@code openSeconds}. */
    private static Process startClients(String socketBase, int wanted, String openSeconds) throws IOException {
        ProcessBuilder child = new ProcessBuilder(
                        javaCommand(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        IdleClients.class.getName(),
                        socketBase,
                        String.valueOf(wanted),
                        openSeconds)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        // Agents or recordings meant for the bench (JFR prints to stdout) would garble the child's answers.
        child.environment().remove("JAVA_TOOL_OPTIONS");
        return child.start();
    }

    /** The words of the child's next line, which must start with {@code word}. */
    private static String[] expect(BufferedReader answers, String word) throws IOException {
        String line = answers.readLine();
        if (line == null || !line.startsWith(word + " ")) {
            throw new IOException("The idle-socket clients answered '" + line + "' instead of '" + word + " ...'");
        }
        return line.split(" ");
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
