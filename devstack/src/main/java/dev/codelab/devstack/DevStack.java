package dev.codelab.devstack;

import dev.codelab.agent.AgentApp;
import dev.codelab.shared.embedded.EmbeddedPostgresServer;
import dev.codelab.shared.embedded.EmbeddedRedisServer;
import dev.codelab.shared.server.Health;
import dev.codelab.shared.server.ServiceServer;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The four services in one JVM, each on its own port as in compose, plus one public port that serves what
 * nginx serves (the auth and gateway routes on one server), over embedded PostgreSQL and Redis.
 */
public final class DevStack implements AutoCloseable {

    private static final List<String> PROVIDER_VARIABLES =
            List.of("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENROUTER_API_KEY", "OLLAMA_BASE_URL");

    private final ResourceStack resources = new ResourceStack("codelab");
    private Ports actual;
    private Hosts hosts;
    private List<String> providers = List.of();
    private boolean fakeStandsIn;
    private String demoPassword;
    private ServiceStack services;

    private DevStack() {}

    /** The stack on loopback only (tests, the bench). */
    public static DevStack start(Path dataDir, Ports ports, boolean fresh, Map<String, String> env) {
        return start(dataDir, ports, Hosts.LOOPBACK, fresh, env);
    }

    public static DevStack start(Path dataDir, Ports ports, Hosts hosts, boolean fresh, Map<String, String> env) {
        return start(dataDir, ports, hosts, fresh, env, null);
    }

    /**
     * The stack on loopback over databases and Redis the caller made instead of embedded ones. The system tests
     * need this: one database per service (a test takes one service's database away, or reads the agent's or
     * llmproxy's tables) on the test PostgreSQL, and a Redis of the test's choosing (one it stops).
     */
    public static DevStack start(Path dataDir, ServiceStack.Stores stores, Map<String, String> env) {
        return start(dataDir, Ports.ephemeral(), Hosts.LOOPBACK, false, env, stores);
    }

    private static DevStack start(
            Path dataDir, Ports ports, Hosts hosts, boolean fresh, Map<String, String> env, ServiceStack.Stores given) {
        DevStack stack = new DevStack();
        try {
            stack.hosts = hosts;
            if (fresh) {
                deleteRecursively(dataDir);
            }
            stack.startAll(dataDir, ports, hosts, env, given == null ? stack.stores(dataDir, env) : given);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** Embedded PostgreSQL and Redis in {@code dataDir}, unless {@code CODELAB_DB_URL}/{@code CODELAB_REDIS_URL}. */
    private ServiceStack.Stores stores(Path dataDir, Map<String, String> env) {
        String dbBase = env.get("CODELAB_DB_URL");
        String redisUrl = env.get("CODELAB_REDIS_URL");
        String authDb;
        String agentDb;
        String llmproxyDb;
        if (dbBase == null || dbBase.isBlank()) {
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(mkdirs(dataDir.resolve("postgres")));
            resources.add(postgres);
            postgres.createDatabase("auth_db");
            postgres.createDatabase("agent_db");
            postgres.createDatabase("llmproxy_db");
            authDb = postgres.jdbcUrl("auth_db");
            agentDb = postgres.jdbcUrl("agent_db");
            llmproxyDb = postgres.jdbcUrl("llmproxy_db");
        } else {
            authDb = dbBase;
            agentDb = dbBase;
            llmproxyDb = dbBase;
        }
        if (redisUrl == null || redisUrl.isBlank()) {
            EmbeddedRedisServer redis = EmbeddedRedisServer.start(0, mkdirs(dataDir.resolve("redis")));
            resources.add(redis);
            redisUrl = redis.url();
        }
        return new ServiceStack.Stores(authDb, agentDb, llmproxyDb, redisUrl);
    }

    private void startAll(Path dataDir, Ports ports, Hosts hosts, Map<String, String> env, ServiceStack.Stores stores) {
        String internalKey = env.getOrDefault("CODELAB_INTERNAL_API_KEY", randomKey());
        providers = PROVIDER_VARIABLES.stream()
                .filter(v -> !env.getOrDefault(v, "").isBlank())
                .toList();

        // The seed's model names (gpt-4, claude-*, ...) answer here even without their keys, marked as the fake model.
        String keyless = env.getOrDefault("LLM_PROXY__KEYLESS_MODELS", "");
        fakeStandsIn = keyless.isBlank() || keyless.strip().equalsIgnoreCase("fake");
        Map<String, String> serviceEnv = new HashMap<>(env);
        serviceEnv.put("LLM_PROXY__KEYLESS_MODELS", keyless.isBlank() ? "fake" : keyless);
        services = ServiceStack.start(resources, stores, internalKey, serviceEnv, hosts.services(), ports);
        demoPassword = DemoUser.password(dataDir, env);
        services.auth().ensureUser(DemoUser.USERNAME, DemoUser.EMAIL, demoPassword);
        WebServer front = ServiceServer.start(
                ServiceStack.serverConfig(hosts.entryPoint(), ports.publicPort()),
                "public",
                List.of(
                        new EntryPoint(Map.of(
                                "/nginx-health", EntryPoint.NGINX_HEALTH,
                                "/auth-health", Health.liveness("auth", services.authConfig(), "auth-service"),
                                "/gateway-health", Health.liveness("gateway", services.gatewayConfig(), "gateway"))),
                        services.auth(),
                        services.gateway()));
        // Closed after the gateway drained its sockets (the entry point carries most of them), like its own server.
        resources.addClosedAfter(services.gateway(), front::stop);
        Ports bound = services.ports();
        this.actual = new Ports(front.port(), bound.gateway(), bound.agent(), bound.llmproxy(), bound.auth());
    }

    public void printWelcome(PrintStream out) {
        out.println();
        out.println("CodeLab is up.");
        out.println("  public API      http://localhost:" + actual.publicPort() + "  (/oauth, /.well-known, /api/v1)");
        out.println("  services        gateway :" + actual.gateway() + "  agent :" + actual.agent() + "  llmproxy :"
                + actual.llmproxy() + "  auth :" + actual.auth()
                + "  (internal: /observe, /ready and the internal APIs)");
        out.println("  listening on    " + hosts.entryPoint() + " (public API), " + hosts.services() + " (services)"
                + (hosts.entryPoint().equals("127.0.0.1") ? "; --host 0.0.0.0 lets other machines in" : ""));
        out.println("  try             curl http://localhost:" + actual.publicPort() + "/gateway-health");
        out.println("  demo user       " + DemoUser.USERNAME + " / " + demoPassword);
        out.println("  next            ./codelab chat --url http://localhost:" + actual.publicPort()
                + "   (in another terminal; log in as " + DemoUser.USERNAME + ")");
        if (providers.isEmpty()) {
            out.println("  LLM             the built-in FAKE model (no provider key set): scripted answers for "
                    + "demos and tests,");
            out.println("                  not a real assistant. Set OPENAI_API_KEY, ANTHROPIC_API_KEY, "
                    + "OPENROUTER_API_KEY or");
            out.println("                  OLLAMA_BASE_URL for real answers.");
        } else {
            out.println("  LLM             providers from " + String.join(", ", providers));
        }
        List<String> missing =
                PROVIDER_VARIABLES.stream().filter(v -> !providers.contains(v)).toList();
        if (fakeStandsIn && !missing.isEmpty()) {
            out.println("  stand-ins       models whose key is missing (" + String.join(", ", missing)
                    + ") answer with the");
            out.println("                  FAKE model, marked \"model\": \"fake:<name>\" (e.g. gpt-4, "
                    + "gpt-3.5-turbo, claude-*,");
            out.println("                  ollama/<model>); LLM_PROXY__KEYLESS_MODELS=unavailable makes them "
                    + "answer 503 instead.");
        }
        out.println("Press Ctrl-C to stop.");
    }

    public String demoPassword() {
        return demoPassword;
    }

    /** Adds a user as the demo user is added (tests that log in as someone else, e.g. the seed's user@example.com). */
    public void ensureUser(String username, String email, String password) {
        services.auth().ensureUser(username, email, password);
    }

    /** The agent runtime of this stack (the bench reads its database pool's usage). */
    public AgentApp agent() {
        return services.agent();
    }

    /** Stops the agent runtime's server and service, as if its process died (the system tests' outages). */
    public void stopAgent() {
        services.stopAgent();
    }

    /** Starts a fresh agent runtime on the port it had, over the same database. */
    public void restartAgent() {
        services.restartAgent();
    }

    /** The ports the stack listens on (the real ones once started; 0 asks for a free port). */
    public Ports ports() {
        return actual;
    }

    @Override
    public void close() {
        resources.closeAll();
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

    /**
     * The addresses the stack listens on: the entry point (what nginx serves) and the four services' own ports.
     * Both are loopback unless asked otherwise: on a laptop nothing but this machine should reach the internal
     * services, and the entry point is opened to other machines on purpose ({@code codelab up --host 0.0.0.0}).
     */
    public record Hosts(String entryPoint, String services) {
        public static final Hosts LOOPBACK = new Hosts("127.0.0.1", "127.0.0.1");
    }

    /**
     * Where the stack listens.
     *
     * @param publicPort the entry point serving what nginx serves
     */
    public record Ports(int publicPort, int gateway, int agent, int llmproxy, int auth) {
        /** The compose ports for the services, {@code publicPort} for the entry point. */
        public static Ports standard(int publicPort) {
            return new Ports(publicPort, 8000, 8001, 8002, 8003);
        }

        /** Free ports everywhere (tests). */
        public static Ports ephemeral() {
            return new Ports(0, 0, 0, 0, 0);
        }
    }
}
