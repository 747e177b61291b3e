package dev.codelab.bench.load;

import java.util.List;

/**
 * Idle authenticated WebSockets on a gateway alone: the clients of {@link IdleSockets} against the gateway of
 * {@link ServiceProcesses}, whose JVM serves nothing else, and that JVM's resident memory with them open. Beside the
 * RSS, what it is made of: the heap the JVM has committed, and the live objects (a class histogram, after a full
 * collection, before the sockets open and with them open), whose growth is what the sockets themselves hold. Then
 * the floor, measured the same way in the same run: the same clients against a {@link BareWebSocketServer}, Helidon
 * configured as the gateway and with its JVM options, but with none of the gateway's code.
 */
final class GatewayIdle {

    static final String NAME = "gateway-idle";
    private static final long RSS_TARGET = 300L * 1048576;

    private GatewayIdle() {}

    static List<Result> run(ServiceProcesses stack, String access, boolean quick, Report log) throws Exception {
        Footprint gateway = Footprint.of(stack, "gateway", access, quick, log);
        log.progress("%s: the floor, the same sockets on a bare Helidon WebSocket server", NAME);
        stack.startBareWebSocketServer();
        Footprint floor;
        try {
            floor = Footprint.of(stack, BareWebSocketServer.NAME, access, quick, log);
        } finally {
            stack.stop(BareWebSocketServer.NAME);
        }
        return rows(gateway, floor, stack.jvmOptions(), CpuTime.loadAverage());
    }

    static List<Result> rows(Footprint gateway, Footprint floor, String jvmOptions, double load) {
        return List.of(
                gateway.held().count(NAME),
                gateway.held()
                        .against(
                                NAME,
                                String.format(
                                        "RSS of the gateway's own JVM with them open (%s) (load %.2f)",
                                        jvmOptions, load),
                                gateway.rss(),
                                "≤ 300 MB",
                                gateway.rssWith() <= RSS_TARGET),
                Result.info(NAME, "RSS growth per socket", gateway.rssPerSocket()),
                Result.info(NAME, "gateway heap with them open: committed / live after a full GC", gateway.heap()),
                Result.info(NAME, "live heap growth per socket", gateway.livePerSocket()),
                Result.info(
                        NAME,
                        "floor: a bare Helidon WebSocket server in its own JVM (the gateway's server configuration and"
                                + " JVM options, an endpoint that accepts the same upgrades and only answers pings), "
                                + floor.held().held() + " sockets held: RSS with them open",
                        floor.rss()),
                Result.info(
                        NAME,
                        "… its RSS growth / live heap growth per socket",
                        floor.rssPerSocket() + " / " + floor.livePerSocket()),
                Result.info(NAME, "… its heap with them open: committed / live after a full GC", floor.heap()),
                Result.info(
                        NAME,
                        "the gateway over the floor: RSS with the sockets open / live heap per socket",
                        String.format(
                                "%+.0f MB / %+.1f KB",
                                (gateway.rssWith() - floor.rssWith()) / 1048576.0,
                                gateway.livePerSocketKb() - floor.livePerSocketKb())));
    }

    /**
     * One server's memory before and with the idle sockets open: RSS, heap committed, live heap after a full
     * collection.
     */
    record Footprint(
            IdleSockets.Held held, long rssBefore, long liveBefore, long rssWith, long committedWith, long liveWith) {

        /** Measures {@code server} of {@code stack} while the clients of {@link IdleSockets} hold their sockets. */
        static Footprint of(ServiceProcesses stack, String server, String access, boolean quick, Report log)
                throws Exception {
            long pid = stack.pid(server);
            long rssBefore = Memory.rss(pid);
            long liveBefore = stack.liveHeap(server);
            long[] with = new long[3];
            IdleSockets.Held held = IdleSockets.hold(stack.webSocketBase(server), access, quick, log, () -> {
                with[0] = Memory.rss(pid);
                with[1] = stack.heapCommitted(server);
                with[2] = stack.liveHeap(server);
            });
            return new Footprint(held, rssBefore, liveBefore, with[0], with[1], with[2]);
        }

        String rss() {
            return Memory.mb(rssWith) + " (" + Memory.mb(rssBefore) + " before)";
        }

        String heap() {
            return Memory.mb(committedWith) + " / " + Memory.mb(liveWith) + " (" + Memory.mb(liveBefore)
                    + " live before)";
        }

        String rssPerSocket() {
            return String.format("%.1f KB", (rssWith - rssBefore) / 1024.0 / sockets());
        }

        String livePerSocket() {
            return String.format("%.1f KB", livePerSocketKb());
        }

        double livePerSocketKb() {
            return (liveWith - liveBefore) / 1024.0 / sockets();
        }

        private int sockets() {
            return Math.max(1, held.held());
        }
    }
}
