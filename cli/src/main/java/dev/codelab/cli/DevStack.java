package dev.codelab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.codelab.agent.AgentApp;
import dev.codelab.auth.AuthApp;
import dev.codelab.gateway.GatewayApp;
import dev.codelab.llmproxy.LlmProxyApp;
import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.embedded.EmbeddedPostgresServer;
import dev.codelab.shared.embedded.EmbeddedRedisServer;
import dev.codelab.shared.server.CodeLabService;
import dev.codelab.shared.server.ServiceServer;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;

/**
 * The four services in one JVM, each on its own port as in compose, plus one public port that serves what
 * nginx serves (the auth and gateway routes on one server), over embedded PostgreSQL and Redis.
 */
final class DevStack implements AutoCloseable {

    static final int GATEWAY_PORT = 8000;
    static final int AGENT_PORT = 8001;
    static final int LLMPROXY_PORT = 8002;
    static final int AUTH_PORT = 8003;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private int publicPort;

    private DevStack() {
    }

    static DevStack start(Path dataDir, int publicPort, boolean fresh, Map<String, String> env) {
        DevStack stack = new DevStack();
        try {
            stack.startAll(dataDir, publicPort, fresh, env);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Path dataDir, int port, boolean fresh, Map<String, String> env) {
        if (fresh) {
            deleteRecursively(dataDir);
        }
        String dbBase = env.get("CODELAB_DB_URL");
        String redisUrl = env.get("CODELAB_REDIS_URL");
        String authDb;
        String agentDb;
        if (dbBase == null || dbBase.isBlank()) {
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(mkdirs(dataDir.resolve("postgres")));
            resources.add(postgres);
            postgres.createDatabase("auth_db");
            postgres.createDatabase("agent_db");
            authDb = postgres.jdbcUrl("auth_db");
            agentDb = postgres.jdbcUrl("agent_db");
        } else {
            authDb = dbBase;
            agentDb = dbBase;
        }
        if (redisUrl == null || redisUrl.isBlank()) {
            EmbeddedRedisServer redis = EmbeddedRedisServer.start(0, mkdirs(dataDir.resolve("redis")));
            resources.add(redis);
            redisUrl = redis.url();
        }
        String internalKey = env.getOrDefault("CODELAB_INTERNAL_API_KEY", randomKey());

        AuthApp auth = AuthApp.create(ServiceConfig.load("AUTH_SERVICE", env, Map.of(
                "server.port", String.valueOf(AUTH_PORT),
                "auth-service.db-url", authDb,
                "auth-service.redis-url", redisUrl)));
        LlmProxyApp llmproxy = LlmProxyApp.create(ServiceConfig.load("LLM_PROXY", env, Map.of(
                "server.port", String.valueOf(LLMPROXY_PORT),
                "llm-proxy.internal-api-key", internalKey)));
        AgentApp agent = AgentApp.create(ServiceConfig.load("AGENT_RUNTIME", env, Map.of(
                "server.port", String.valueOf(AGENT_PORT),
                "agent-runtime.db-url", agentDb,
                "agent-runtime.internal-api-key", internalKey,
                "agent-runtime.llm-proxy-url", "http://127.0.0.1:" + LLMPROXY_PORT)));
        GatewayApp gateway = GatewayApp.create(ServiceConfig.load("GATEWAY", env, Map.of(
                "server.port", String.valueOf(GATEWAY_PORT),
                "gateway.redis-url", redisUrl,
                "gateway.internal-api-key", internalKey,
                "gateway.agent-url", "http://127.0.0.1:" + AGENT_PORT,
                "gateway.auth-service-url", "http://127.0.0.1:" + AUTH_PORT)));
        // Closed in reverse order: servers first, then the services, then the databases.
        for (CodeLabService service : List.of(auth, llmproxy, agent, gateway)) {
            resources.add(service);
        }
        serve(auth, AUTH_PORT);
        serve(llmproxy, LLMPROXY_PORT);
        serve(agent, AGENT_PORT);
        serve(gateway, GATEWAY_PORT);
        WebServer front = ServiceServer.start(serverConfig(port), "public", List.of(auth, gateway));
        resources.add(front::stop);
        this.publicPort = front.port();
    }

    private void serve(CodeLabService service, int port) {
        WebServer server = ServiceServer.start(serverConfig(port), service.name(), List.of(service));
        resources.add(server::stop);
    }

    private static Config serverConfig(int port) {
        return ServiceConfig.load("CODELAB", Map.of(), Map.of("server.port", String.valueOf(port), "server.host", "0.0.0.0"))
                .get("server");
    }

    void printWelcome(PrintStream out) {
        out.println();
        out.println("CodeLab is up.");
        out.println("  public API      http://localhost:" + publicPort + "  (/oauth, /.well-known, /api/v1)");
        out.println("  services        gateway :" + GATEWAY_PORT + "  agent :" + AGENT_PORT + "  llmproxy :" + LLMPROXY_PORT
                + "  auth :" + AUTH_PORT);
        out.println("  try             curl http://localhost:" + publicPort + "/health");
        out.println("Press Ctrl-C to stop.");
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("codelab: while stopping: " + e.getMessage());
            }
        }
        resources.clear();
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
