package dev.codelab.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.codelab.shared.http.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code codelab up}'s stack, in this JVM on free ports: the entry point serves what nginx serves.
 */
class DevStackTest {

    private static DevStack stack;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path dataDir = Files.createTempDirectory("codelab-devstack");
        stack = DevStack.start(dataDir, DevStack.Ports.ephemeral(), true, Map.of());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void theEntryPointAnswersTheNginxHealthRoutes() throws Exception {
        assertThat(Json.read(get("/auth-health").body()).path("service").asText(), is("auth"));
        assertThat(Json.read(get("/gateway-health").body()).path("service").asText(), is("gateway"));
    }

    @Test
    void everyServiceListensOnItsOwnPortToo() throws Exception {
        DevStack.Ports ports = stack.ports();
        for (int port : new int[] {ports.auth(), ports.gateway(), ports.agent(), ports.llmproxy()}) {
            HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat("port " + port, res.statusCode(), is(200));
        }
    }

    @Test
    void theSeedFlowWorksAgainstTheEntryPoint() {
        // Token, JWKS, sessions, agents, a WebSocket turn with an approved write_file, history, refresh.
        int exit = new picocli.CommandLine(new CheckCommand()).execute(
                "--url", "http://127.0.0.1:" + stack.ports().publicPort(),
                "--username", "demo", "--password", stack.demoPassword());

        assertThat(exit, is(0));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.ports().publicPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
