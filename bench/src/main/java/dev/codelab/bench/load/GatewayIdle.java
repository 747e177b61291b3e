package dev.codelab.bench.load;

import java.util.List;

/**
 * Idle authenticated WebSockets on a gateway alone: the clients of {@link IdleSockets} against the gateway of
 * {@link ServiceProcesses}, whose JVM serves nothing else, and that JVM's resident memory with them open. Beside the
 * RSS, what it is made of: the heap the JVM has committed, and the live objects (a class histogram, after a full
 * collection, before the sockets open and with them open), whose growth is what the sockets themselves hold.
 */
final class GatewayIdle {

    static final String NAME = "gateway-idle";
    private static final long RSS_TARGET = 300L * 1048576;

    private GatewayIdle() {}

    static List<Result> run(ServiceProcesses stack, String access, boolean quick, Report log) throws Exception {
        long gateway = stack.pid("gateway");
        long before = Memory.rss(gateway);
        long liveBefore = stack.liveHeap("gateway");
        long[] after = new long[3];
        IdleSockets.Held held = IdleSockets.hold(stack.webSocketUrl(""), access, quick, log, () -> {
            after[0] = Memory.rss(gateway);
            after[1] = stack.heapCommitted("gateway");
            after[2] = stack.liveHeap("gateway");
        });
        String load = String.format(" (load %.2f)", CpuTime.loadAverage());
        int sockets = Math.max(1, held.held());
        return List.of(
                held.count(NAME),
                held.against(
                        NAME,
                        "RSS of the gateway's own JVM with them open (" + stack.jvmOptions() + ")" + load,
                        Memory.mb(after[0]) + " (" + Memory.mb(before) + " before)",
                        "≤ 300 MB",
                        after[0] <= RSS_TARGET),
                Result.info(NAME, "RSS growth per socket", perSocket(after[0] - before, sockets)),
                Result.info(
                        NAME,
                        "gateway heap with them open: committed / live after a full GC",
                        Memory.mb(after[1]) + " / " + Memory.mb(after[2]) + " (" + Memory.mb(liveBefore)
                                + " live before)"),
                Result.info(NAME, "live heap growth per socket", perSocket(after[2] - liveBefore, sockets)));
    }

    private static String perSocket(long bytes, int sockets) {
        return String.format("%.1f KB", bytes / 1024.0 / sockets);
    }
}
