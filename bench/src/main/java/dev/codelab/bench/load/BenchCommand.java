package dev.codelab.bench.load;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code codelab bench}: starts what it measures (the dev stack on free 127.0.0.1 ports over a paced fake
 * upstream), runs the performance scenarios of docs/benchmarks.md against it, and prints each result against its
 * target. Load never leaves this machine, and every loop is bounded in count and time.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure the stack against the performance targets (docs/benchmarks.md).")
public final class BenchCommand implements Callable<Integer> {

    /** The scenarios run on the bench's one-JVM stack ({@link BenchStack}). */
    private static final List<String> ON_ONE_JVM = List.of(
            ChainLatency.LATENCY,
            ChainLatency.RAMP,
            RestThroughput.NAME,
            RefreshRate.NAME,
            IdleSockets.NAME,
            ConcurrentTurns.NAME);
    /** The scenarios run on the stack as compose runs it, each service in its own JVM ({@link ServiceProcesses}). */
    private static final List<String> ON_SERVICE_JVMS =
            List.of(CostPerToken.NAME, ProxyOverhead.NAME, GatewayIdle.NAME);

    static final List<String> SCENARIOS = Stream.of(List.of(StackStart.NAME), ON_SERVICE_JVMS, ON_ONE_JVM)
            .flatMap(List::stream)
            .toList();

    @Option(names = "--quick", description = "Shorter runs and 1000 instead of 10000 idle sockets (under 3 minutes).")
    boolean quick;

    @Option(
            names = "--scenario",
            description = "Run only these (repeatable): ${COMPLETION-CANDIDATES}.",
            completionCandidates = Names.class)
    Set<String> only;

    @Option(
            names = "--out",
            description = "Also write the results into this markdown file (between its result markers).")
    Path out;

    @Option(
            names = "--jfr",
            description = "Record a JFR profile of each service JVM during the measured run of " + CostPerToken.NAME
                    + " into this directory (<service>.jfr).")
    Path jfr;

    @Option(
            names = "--service-jvm-options",
            description = "The JVM options of each service JVM of " + CostPerToken.NAME + ", " + ProxyOverhead.NAME
                    + " and " + GatewayIdle.NAME
                    + " (default: \"${DEFAULT-VALUE}\", as compose/Dockerfile); the gateway's"
                    + " JVM also gets " + ServiceProcesses.GATEWAY_JVM_OPTIONS + ", as its image does.")
    String serviceJvmOptions = ServiceProcesses.DEFAULT_JVM_OPTIONS;

    @Option(names = "--work-dir", description = "Where the bench's stacks keep their data (default ${DEFAULT-VALUE}).")
    Path workDir = Path.of(".codelab", "bench");

    @Override
    public Integer call() throws Exception {
        if (only != null && !SCENARIOS.containsAll(only)) {
            System.err.println("bench: unknown scenario; choose from " + SCENARIOS);
            return 2;
        }
        quietLogs();
        Report report = new Report(System.err);
        long start = System.nanoTime();
        if (wanted(StackStart.NAME)) {
            runScenario(report, StackStart.NAME, () -> StackStart.run(workDir, quick, report));
        }
        if (ON_SERVICE_JVMS.stream().anyMatch(this::wanted)) {
            runOnServiceJvms(report);
        }
        if (ON_ONE_JVM.stream().anyMatch(this::wanted)) {
            report.progress("starting the stack over the paced upstream");
            try (BenchStack bench = BenchStack.start(workDir)) {
                quietLogs();
                String access = bench.login().path("access_token").asText();
                runOn(report, bench, access);
            }
        }
        publish(report);
        report.progress("done in %.0f s", (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** The scenarios that measure each service in its own JVM. */
    private void runOnServiceJvms(Report report) throws Exception {
        report.progress("starting each service in its own JVM over the paced upstream");
        try (PacedUpstream upstream = PacedUpstream.start();
                ServiceProcesses services =
                        ServiceProcesses.start(workDir.resolve("services"), upstream, serviceJvmOptions)) {
            String access = services.login();
            if (wanted(CostPerToken.NAME)) {
                runScenario(
                        report,
                        CostPerToken.NAME,
                        () -> CostPerToken.run(services, upstream, access, quick, jfr, report));
            }
            if (wanted(ProxyOverhead.NAME)) {
                runScenario(report, ProxyOverhead.NAME, () -> ProxyOverhead.run(services, upstream, quick, report));
            }
            if (wanted(GatewayIdle.NAME)) {
                runScenario(report, GatewayIdle.NAME, () -> GatewayIdle.run(services, access, quick, report));
            }
        }
    }

    /** Prints the report as markdown, and writes it into {@code --out} when given. */
    private void publish(Report report) throws Exception {
        String command = "./codelab bench" + (quick ? " --quick" : "")
                + (only == null ? "" : " --scenario " + String.join(" --scenario ", only));
        System.out.println(report.markdown(command));
        if (out != null) {
            report.writeInto(out, command);
        }
    }

    private void runOn(Report report, BenchStack bench, String access) {
        if (wanted(ChainLatency.LATENCY)) {
            runScenario(report, ChainLatency.LATENCY, () -> ChainLatency.latency(bench, access, quick, report));
        }
        if (wanted(ChainLatency.RAMP)) {
            runScenario(report, ChainLatency.RAMP, () -> ChainLatency.ramp(bench, access, quick, report));
        }
        if (wanted(RestThroughput.NAME)) {
            runScenario(report, RestThroughput.NAME, () -> RestThroughput.run(bench, access, quick, report));
        }
        if (wanted(RefreshRate.NAME)) {
            runScenario(report, RefreshRate.NAME, () -> RefreshRate.run(bench, quick, report));
        }
        if (wanted(IdleSockets.NAME)) {
            runScenario(report, IdleSockets.NAME, () -> IdleSockets.run(bench, access, quick, report));
        }
        if (wanted(ConcurrentTurns.NAME)) {
            runScenario(report, ConcurrentTurns.NAME, () -> ConcurrentTurns.run(bench, access, quick, report));
        }
    }

    /**
     * One log line per request would measure the console: the bench runs with warnings only (set again after
     * a stack started, because starting a server configures logging).
     */
    private static void quietLogs() {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(Level.WARNING);
        }
    }

    private boolean wanted(String scenario) {
        return only == null || only.contains(scenario);
    }

    /** A failing scenario is reported as such and the others still run. */
    private static void runScenario(Report report, String name, Callable<List<Result>> scenario) {
        report.progress("%s ...", name);
        try {
            report.add(scenario.call());
        } catch (Exception e) {
            report.progress("%s failed: %s", name, e);
            report.failed(name, e);
        }
    }

    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return SCENARIOS.iterator();
        }
    }
}
