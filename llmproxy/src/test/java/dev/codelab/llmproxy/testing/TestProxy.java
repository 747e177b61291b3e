package dev.codelab.llmproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.LlmProxyApp;
import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.server.ServiceServer;
import dev.codelab.shared.sse.SseEventReader;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The llmproxy with a test registry, plus a JDK client that sends the internal key, on Helidon's
 * {@code @ServerTest} server ({@link #create}, {@link #setUp}, {@link #servedBy}). A test of a registry or setting
 * the proxy refuses creates one and expects the failure; closing a proxy that was never served releases its app.
 */
public final class TestProxy implements AutoCloseable {

    public static final String KEY = "test-internal-key";

    private final Config config;
    private final LlmProxyApp app;
    private WebServer server;
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path registryFile;

    private TestProxy(String registryYaml, Map<String, String> overrides, Map<String, String> env) {
        try {
            registryFile = registryYaml == null
                    ? null
                    : Files.writeString(Files.createTempFile("models", ".yaml"), registryYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> all = new HashMap<>();
        all.put("server.port", "0");
        all.put("server.host", "127.0.0.1");
        all.put("llm-proxy.internal-api-key", KEY);
        all.put("llm-proxy.fake-delay-ms", "0");
        all.put("llm-proxy.retry-base-delay-ms", "1");
        all.put("llm-proxy.retry-max-delay-ms", "5");
        if (registryFile != null) {
            all.put("llm-proxy.models-file", registryFile.toString());
        }
        all.putAll(overrides);
        config = ServiceConfig.load("LLM_PROXY", Map.of(), all);
        app = LlmProxyApp.create(config, env);
    }

    /**
     * A proxy for a {@code @ServerTest} class serving {@code registryYaml} (null: the built-in registry): its
     * {@code @SetUpServer} calls {@link #setUp}, and the server Helidon started is handed to {@link #servedBy}.
     */
    public static TestProxy create(String registryYaml, Map<String, String> overrides, Map<String, String> env) {
        return new TestProxy(registryYaml, overrides, env);
    }

    /** A proxy of {@code registryYaml} with the usual settings (tests of what it refuses to start with). */
    public static TestProxy create(String registryYaml) {
        return create(registryYaml, Map.of(), Map.of());
    }

    /** This proxy's routes on a test server, exactly as production sets up its server. */
    public void setUp(WebServerConfig.Builder server) {
        ServiceServer.setup(server, app.name(), List.of(app));
    }

    public void servedBy(WebServer server) {
        this.server = server;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).header("X-Internal-Auth", KEY);
    }

    public HttpResponse<String> post(String path, String body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens a streamed chat completion; the caller reads (and closes) the lines. */
    public HttpResponse<Stream<String>> openStream(String body) {
        try {
            return client.send(
                    request("/v1/chat/completions")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts a streamed chat completion and returns the {@code data:} payloads in order (including {@code [DONE]}). */
    public List<String> streamData(String body) {
        HttpResponse<Stream<String>> response = openStream(body);
        List<String> data = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            new SseEventReader(lines.iterator()).iterator().forEachRemaining(e -> data.add(e.data()));
        }
        return data;
    }

    public static JsonNode json(String text) {
        try {
            return Json.read(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        app.close();
        if (registryFile != null) {
            try {
                Files.deleteIfExists(registryFile);
            } catch (IOException e) {
                // temp file; the OS cleans up
            }
        }
    }
}
