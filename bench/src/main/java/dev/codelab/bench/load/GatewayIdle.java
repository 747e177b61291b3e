package dev.codelab.bench.load;

import java.util.List;

/**
 * Idle authenticated WebSockets on a gateway alone: the clients of {@link IdleSockets} against the gateway of
 * {@link ServiceProcesses}, whose JVM serves nothing else, and that JVM's resident memory with them open.
 */
final class GatewayIdle {

    static final String NAME = "gateway-idle";
    private static final long RSS_TARGET = 300L * 1048576;

    private GatewayIdle() {}

    static List<Result> run(ServiceProcesses stack, String access, boolean quick, Report log) throws Exception {
        long gateway = stack.pid("gateway");
        long before = Memory.rss(gateway);
        long[] after = new long[1];
        IdleSockets.Held held =
                IdleSockets.hold(stack.webSocketUrl(""), access, quick, log, () -> after[0] = Memory.rss(gateway));
        String load = String.format(" (load %.2f)", CpuTime.loadAverage());
        return List.of(
                held.count(NAME),
                Result.against(
                        NAME,
                        "RSS of the gateway's own JVM with them open (" + stack.jvmOptions() + ")" + load,
                        Memory.mb(after[0]) + " (" + Memory.mb(before) + " before)",
                        "≤ 300 MB",
                        after[0] <= RSS_TARGET),
                Result.info(
                        NAME,
                        "RSS growth per socket",
                        String.format("%.1f KB", (after[0] - before) / 1024.0 / Math.max(1, held.held()))));
    }
}
