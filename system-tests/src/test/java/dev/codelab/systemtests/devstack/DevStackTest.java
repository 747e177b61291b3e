package dev.codelab.systemtests.devstack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.codelab.cli.CheckCommand;
import dev.codelab.devstack.DevStack;
import dev.codelab.shared.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code codelab up}'s stack, in this JVM on free ports: the entry point serves what nginx serves, and nothing
 * listens beyond this machine unless asked.
 */
class DevStackTest {

    private static final String INTERNAL_KEY = "dev-stack-test-internal-key";
    private static DevStack stack;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path dataDir = Files.createTempDirectory("codelab-devstack");
        stack = DevStack.start(
                dataDir, DevStack.Ports.ephemeral(), true, Map.of("CODELAB_INTERNAL_API_KEY", INTERNAL_KEY));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void theEntryPointAnswersTheNginxHealthRoutes() throws Exception {
        HttpResponse<String> nginx = get("/nginx-health");
        assertThat(nginx.statusCode(), is(200));
        assertThat(nginx.body(), is("healthy\n"));
        assertThat(nginx.headers().firstValue("Content-Type").orElse(""), is("text/plain"));
        assertThat(Json.read(get("/auth-health").body()).path("service").asText(), is("auth"));
        assertThat(Json.read(get("/gateway-health").body()).path("service").asText(), is("gateway"));
    }

    @Test
    void theBannerSaysThatTheFakeModelStandsInForModelsWithoutTheirKey() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stack.printWelcome(new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(out.toString(StandardCharsets.UTF_8), containsString("""
                  stand-ins       models whose key is missing (OPENAI_API_KEY, ANTHROPIC_API_KEY, OPENROUTER_API_KEY, \
                OLLAMA_BASE_URL) answer with the
                                  FAKE model, marked "model": "fake:<name>" (e.g. gpt-4, gpt-3.5-turbo, claude-*,
                                  ollama/<model>); LLM_PROXY__KEYLESS_MODELS=unavailable makes them answer 503 instead.
                """));
    }

    @Test
    void everyServiceListensOnItsOwnPortToo() throws Exception {
        DevStack.Ports ports = stack.ports();
        for (int port : new int[] {ports.auth(), ports.gateway(), ports.agent(), ports.llmproxy()}) {
            HttpResponse<String> res = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat("port " + port, res.statusCode(), is(200));
        }
    }

    @Test
    void theEntryPointServesOnlyWhatNginxServes() throws Exception {
        assertThat(get("/.well-known/jwks.json").statusCode(), is(200));
        assertThat(get("/api/v1/health").statusCode(), is(200));
        for (String internal : List.of(
                "/observe/metrics",
                "/observe/health",
                "/ready",
                "/health",
                "/admin/users",
                "/v1/models",
                "/agent/message/stream",
                "/sessions",
                "/nothing-here")) {
            HttpResponse<String> res = get(internal);
            assertThat(internal, res.statusCode(), is(404));
            assertThat(internal, Json.read(res.body()).path("error").asText(), is("not_found"));
        }
    }

    @Test
    void everyPortListensOnThisMachineOnly() throws Exception {
        InetAddress outside = nonLoopbackAddress();
        assumeTrue(outside != null, "this machine has no non-loopback IPv4 address to try");
        DevStack.Ports ports = stack.ports();
        for (int port :
                new int[] {ports.publicPort(), ports.auth(), ports.gateway(), ports.agent(), ports.llmproxy()}) {
            try (Socket socket = new Socket()) {
                assertThrows(
                        ConnectException.class,
                        () -> socket.connect(new InetSocketAddress(outside, port), 2000),
                        outside + ":" + port);
            }
        }
    }

    @Test
    void theSeedFlowWorksAgainstTheEntryPoint() {
        // Token, JWKS, sessions, agents, a WebSocket turn with an approved write_file, history, refresh, and the
        // internal examples: a trusted service's turn, and gpt-4 answered by the fake stand-in that says so.
        int exit = new picocli.CommandLine(new CheckCommand())
                .execute(
                        "--url",
                        "http://127.0.0.1:" + stack.ports().publicPort(),
                        "--username",
                        "demo",
                        "--password",
                        stack.demoPassword(),
                        "--nginx",
                        "--agent-url",
                        "http://127.0.0.1:" + stack.ports().agent(),
                        "--llmproxy-url",
                        "http://127.0.0.1:" + stack.ports().llmproxy(),
                        "--internal-key",
                        INTERNAL_KEY);

        assertThat(exit, is(0));
    }

    private static InetAddress nonLoopbackAddress() throws Exception {
        return NetworkInterface.networkInterfaces()
                .filter(nic -> {
                    try {
                        return nic.isUp() && !nic.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address)
                .findFirst()
                .orElse(null);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + stack.ports().publicPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
