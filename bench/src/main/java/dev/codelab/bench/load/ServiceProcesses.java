package dev.codelab.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.embedded.EmbeddedPostgresServer;
import dev.codelab.shared.embedded.EmbeddedRedisServer;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stack as compose runs it: auth, llmproxy, agent and gateway each in a JVM of its own ({@code java -cp <this
 * class path> dev.codelab.<service>.Main}, configured by environment variables only), over embedded PostgreSQL and
 * Redis (processes of their own), with llmproxy's only model on the bench's {@link PacedUpstream}. This process is
 * then only the load: the upstream and the clients. Every part's CPU time can be read ({@link #cpu()}), and each
 * service JVM can record a JFR profile of a stretch of the run.
 */
final class ServiceProcesses implements AutoCloseable {

    /** The parts of the stack whose CPU is counted, in the order they are reported. */
    static final List<String> PARTS = List.of("gateway", "agent", "llmproxy", "auth", "postgresql", "redis");
    /** The service JVMs, in the order they are reported. */
    static final List<String> SERVICES = List.of("gateway", "agent", "llmproxy", "auth");
    /**
     * The JVM options of every service unless the bench is given others: those of compose/Dockerfile, which compose
     * and Kubernetes run too, in the memory a Kubernetes pod of a service has (its 768 MiB limit, of which the
     * Dockerfile gives the heap 75 %; here the JVM would otherwise size its heap from the whole machine's memory).
     */
    static final String DEFAULT_JVM_OPTIONS =
            "-XX:+UseSerialGC -XX:MaxRAM=768m -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError";
    /**
     * What the gateway's image adds to those (compose's {@code JVM_OPTIONS} build argument): a fixed young generation,
     * and the C heap's free memory given back every 10 s.
     */
    static final String GATEWAY_JVM_OPTIONS = "-Xmn32m -XX:SurvivorRatio=2 -XX:TrimNativeHeapInterval=10000";
    /** Where the gateway's WebSockets are, a session's id appended. */
    static final String WEBSOCKET_PATH = "/api/v1/ws/";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** A generation's or the whole heap's line of {@code GC.heap_info}: "DefNew total 4800K, used 2945K [...". */
    private static final Pattern HEAP_SPACE = Pattern.compile("total (\\d+)K, used \\d+K");

    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
    private static final Map<String, String> MAIN_CLASSES = Map.of(
            "auth", "dev.codelab.auth.Main",
            "llmproxy", "dev.codelab.llmproxy.Main",
            "agent", "dev.codelab.agent.Main",
            "gateway", "dev.codelab.gateway.Main");

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Map<String, Process> services = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Path logs;
    private final List<String> jvmOptions;
    private Map<String, String> environment;
    /** The same in every run: the data directory, and with it the admin user, is kept from one run to the next. */
    private final String adminPassword = "bench-admin-password";

    private long postmasterPid;
    private long redisPid;
    private String redisUrl;

    private ServiceProcesses(Path logs, List<String> jvmOptions) {
        this.logs = logs;
        this.jvmOptions = jvmOptions;
    }

    /**
     * Starts the databases, then the four services at once; returns when each answers {@code /health}.
     *
     * @param jvmOptions the options of every service JVM, separated by spaces
     */
    static ServiceProcesses start(Path workDir, PacedUpstream upstream, String jvmOptions) {
        ServiceProcesses stack = new ServiceProcesses(
                workDir.resolve("logs"), List.of(jvmOptions.strip().split("\\s+")));
        try {
            stack.startAll(workDir, upstream);
            return stack;
        } catch (IOException e) {
            stack.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Path workDir, PacedUpstream upstream) throws IOException {
        Files.createDirectories(logs);
        EmbeddedPostgresServer postgres = startPostgres(workDir);
        EmbeddedRedisServer redis = startRedis();
        Path models = upstream.writeModelsFile(workDir);
        for (String service : MAIN_CLASSES.keySet()) {
            ports.put(service, freePort());
        }
        environment = environment(postgres, redis, models);
        for (String service : SERVICES) {
            services.put(service, launch(service, MAIN_CLASSES.get(service), service.equals("gateway")));
        }
        for (String service : services.keySet()) {
            awaitHealth(service);
        }
    }

    private EmbeddedPostgresServer startPostgres(Path workDir) throws IOException {
        Path postgresData = Files.createDirectories(workDir.resolve("postgres"));
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(postgresData);
        opened.add(postgres);
        postgres.createDatabase("auth_db");
        postgres.createDatabase("agent_db");
        postgres.createDatabase("llmproxy_db");
        postmasterPid = Long.parseLong(Files.readAllLines(postgresData.resolve("postmaster.pid"))
                .getFirst()
                .strip());
        return postgres;
    }

    private EmbeddedRedisServer startRedis() {
        EmbeddedRedisServer redis = EmbeddedRedisServer.start(0, null);
        opened.add(redis);
        redisUrl = redis.url();
        redisPid = ProcessHandle.current()
                .children()
                .filter(p -> p.info().command().map(c -> c.contains("redis")).orElse(false))
                .mapToLong(ProcessHandle::pid)
                .max()
                .orElseThrow(() -> new IllegalStateException("redis-server is not a child of the bench process"));
        return redis;
    }

    /** The services' environment: the stores, the paced upstream's models, and each other's URLs. */
    private Map<String, String> environment(EmbeddedPostgresServer postgres, EmbeddedRedisServer redis, Path models) {
        Map<String, String> env = new HashMap<>(BenchStack.UNTHROTTLED);
        env.put("ENVIRONMENT", "development");
        env.put("AUTH_SERVICE__DB_URL", postgres.jdbcUrl("auth_db"));
        env.put("AUTH_SERVICE__REDIS_URL", redis.url());
        env.put("AUTH_SERVICE__ADMIN_PASSWORD", adminPassword);
        env.put("LLM_PROXY__INTERNAL_API_KEY", BenchStack.INTERNAL_KEY);
        env.put("LLM_PROXY__MODELS_FILE", models.toString());
        env.put("LLM_PROXY__DEFAULT_MODEL", PacedUpstream.MODEL);
        env.put("LLM_PROXY__KEYLESS_MODELS", "fake");
        env.put("LLM_PROXY__DB_URL", postgres.jdbcUrl("llmproxy_db"));
        env.put("AGENT_RUNTIME__DB_URL", postgres.jdbcUrl("agent_db"));
        env.put("AGENT_RUNTIME__INTERNAL_API_KEY", BenchStack.INTERNAL_KEY);
        env.put("AGENT_RUNTIME__LLM_PROXY_URL", url("llmproxy"));
        env.put("GATEWAY__REDIS_URL", redis.url());
        env.put("GATEWAY__INTERNAL_API_KEY", BenchStack.INTERNAL_KEY);
        env.put("GATEWAY__AGENT_URL", url("agent"));
        env.put("GATEWAY__AUTH_SERVICE_URL", url("auth"));
        return env;
    }

    /** The options the service JVMs run with. */
    String jvmOptions() {
        return String.join(" ", jvmOptions) + "; the gateway also " + GATEWAY_JVM_OPTIONS;
    }

    /**
     * Starts {@link BareWebSocketServer} as a part of its own ({@link BareWebSocketServer#NAME}) with the gateway's
     * environment and JVM options; returns when it answers {@code /health}. {@link #stop} stops it.
     */
    void startBareWebSocketServer() throws IOException {
        String name = BareWebSocketServer.NAME;
        ports.put(name, freePort());
        services.put(name, launch(name, BareWebSocketServer.class.getName(), true));
        awaitHealth(name);
    }

    private Process launch(String name, String mainClass, boolean gatewayOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (gatewayOptions) {
            command.addAll(List.of(GATEWAY_JVM_OPTIONS.split(" ")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().putAll(environment);
        builder.environment().put("PORT", String.valueOf(ports.get(name)));
        builder.environment().put("HOST", "127.0.0.1");
        return builder.start();
    }

    private void awaitHealth(String service) {
        URI health = URI.create(url(service) + "/health");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            Process process = services.get(service);
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        service + " exited with " + process.exitValue() + "; see " + logs.resolve(service + ".log"));
            }
            if (answers200(health, service)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        service + " did not answer " + health + " within " + READY_TIMEOUT.toSeconds() + " s");
            }
            sleep(100);
        }
    }

    private boolean answers200(URI health, String service) {
        try {
            return http.send(
                                    HttpRequest.newBuilder(health)
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + service, e);
        }
    }

    String url(String service) {
        return "http://127.0.0.1:" + port(service);
    }

    String redisUrl() {
        return redisUrl;
    }

    int port(String service) {
        return ports.get(service);
    }

    /** Where the WebSockets of {@code server} (the gateway, or the bare server) are: a session's id is appended. */
    String webSocketBase(String server) {
        return "ws://127.0.0.1:" + port(server) + WEBSOCKET_PATH;
    }

    long pid(String service) {
        return services.get(service).pid();
    }

    /** A password grant for {@code admin}: the access token. */
    String login() throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(
                HttpRequest.newBuilder(URI.create(url("auth") + "/oauth/token"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=admin&password="
                                + adminPassword + "&client_id=" + BenchStack.CLIENT_ID))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode token = Json.read(res.body());
        if (res.statusCode() != 200 || !token.path("access_token").isTextual()) {
            throw new IllegalStateException("token endpoint answered " + res.statusCode() + ": " + res.body());
        }
        return token.get("access_token").asText();
    }

    /** CPU time used so far by each of {@link #PARTS}, in nanoseconds. */
    Map<String, Long> cpu() {
        Map<String, Long> used = new LinkedHashMap<>();
        for (String part : PARTS) {
            used.put(
                    part,
                    switch (part) {
                        case "postgresql" -> CpuTime.ofTree(postmasterPid);
                        case "redis" -> CpuTime.of(redisPid);
                        default -> CpuTime.of(pid(part));
                    });
        }
        return used;
    }

    /**
     * Starts a JFR recording in every service JVM: the {@code profile} settings plus CPU-time sampling (every 2 ms of
     * a thread's CPU, system calls included), which execution samples miss.
     */
    void startRecordings() {
        SERVICES.forEach(service -> jcmd(
                service,
                "JFR.start",
                "name=bench",
                "settings=profile",
                "jdk.CPUTimeSample#enabled=true",
                "jdk.CPUTimeSample#throttle=2ms"));
    }

    /** Stops the recordings and writes {@code <dir>/<service>.jfr}. */
    void stopRecordings(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String service : SERVICES) {
            jcmd(
                    service,
                    "JFR.stop",
                    "name=bench",
                    "filename=" + dir.resolve(service + ".jfr").toAbsolutePath());
        }
    }

    /**
     * The heap of a service JVM as its collector reports it ({@code GC.heap_info}, no collection): the bytes its
     * generations or regions have committed, i.e. what of the heap counts in its RSS.
     */
    long heapCommitted(String service) {
        Matcher spaces = HEAP_SPACE.matcher(jcmd(service, "GC.heap_info"));
        long kb = 0;
        while (spaces.find()) {
            kb += Long.parseLong(spaces.group(1));
        }
        return kb * 1024;
    }

    /** The bytes of the live objects of a service JVM: the total of a class histogram, which collects first. */
    long liveHeap(String service) {
        Matcher total = HISTOGRAM_TOTAL.matcher(jcmd(service, "GC.class_histogram"));
        if (!total.find()) {
            throw new IllegalStateException("no total in the class histogram of " + service);
        }
        return Long.parseLong(total.group(1));
    }

    /** Runs a diagnostic command in a service JVM; its output. */
    private String jcmd(String service, String... command) {
        List<String> line = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid(service))));
        line.addAll(List.of(command));
        try {
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed for " + service);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops one part's JVM as {@link #close} does. */
    void stop(String name) {
        Process process = services.remove(name);
        process.destroy();
        awaitExit(process);
    }

    /** Stops the services (SIGTERM, so each drains as in compose; killed after 15 s), then Redis and PostgreSQL. */
    @Override
    public void close() {
        services.values().forEach(Process::destroy);
        services.values().forEach(ServiceProcesses::awaitExit);
        for (AutoCloseable resource : opened.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("bench: stopping " + resource + " failed: " + e);
            }
        }
    }

    private static void awaitExit(Process process) {
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
