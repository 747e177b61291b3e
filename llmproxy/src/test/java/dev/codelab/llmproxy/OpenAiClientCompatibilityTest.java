package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What an unmodified OpenAI SDK sends and expects (OpenAI's documented request examples; the SDK adds its own
 * {@code Authorization} header, which the proxy ignores, and the deployment adds {@code X-Internal-Auth}).
 */
class OpenAiClientCompatibilityTest extends LlmProxyServerTest {

    static final String REQUEST = """
            {"model":"fake","messages":[{"role":"developer","content":"You are a helpful assistant."},
             {"role":"user","content":"Hello!"}]%s}""";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, null, Map.of());
    }

    static HttpRequest.Builder sdkRequest() {
        return proxy.request("/v1/chat/completions")
                .header("Authorization", "Bearer sk-anything")
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", "OpenAI/Python 1.54.0");
    }

    @Test
    void nonStreamingAnswerHasTheChatCompletionShape() {
        HttpResponse<String> response = proxy.send(sdkRequest()
                .POST(HttpRequest.BodyPublishers.ofString(REQUEST.formatted("")))
                .build());

        assertThat(response.statusCode(), is(200));
        assertThat(response.headers().firstValue("Content-Type").orElse(""), startsWith("application/json"));
        JsonNode body = json(response.body());
        assertThat(fieldNames(body), containsInAnyOrder("id", "object", "created", "model", "choices", "usage"));
        assertThat(body.path("id").asText(), startsWith("chatcmpl-"));
        assertThat(body.path("object").asText(), is("chat.completion"));
        assertThat(body.path("created").isIntegralNumber(), is(true));
        assertThat(body.path("model").asText(), is("fake"));
        JsonNode choice = body.path("choices").path(0);
        assertThat(fieldNames(choice), containsInAnyOrder("index", "message", "finish_reason"));
        assertThat(choice.path("index").asInt(), is(0));
        assertThat(choice.path("message").path("role").asText(), is("assistant"));
        assertThat(choice.path("message").path("content").asText(), is("Fake model (not a real LLM) received: Hello!"));
        assertThat(choice.path("finish_reason").asText(), is("stop"));
        JsonNode usage = body.path("usage");
        assertThat(
                fieldNames(usage),
                containsInAnyOrder("prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details"));
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong(), is(0L));
        assertThat(
                usage.path("total_tokens").asLong(),
                is(usage.path("prompt_tokens").asLong()
                        + usage.path("completion_tokens").asLong()));
    }

    @Test
    void streamingAnswerIsServerSentChunksEndingWithUsageAndDone() throws Exception {
        HttpResponse<Stream<String>> response = HttpClientHolder.CLIENT.send(
                sdkRequest()
                        .header("Accept", "text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                REQUEST.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}")))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        List<String> lines = new ArrayList<>();
        try (Stream<String> body = response.body()) {
            body.forEach(lines::add);
        }

        assertThat(response.statusCode(), is(200));
        assertThat(response.headers().firstValue("Content-Type").orElse(""), startsWith("text/event-stream"));
        List<JsonNode> chunks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 2) {
            assertThat(lines.get(i), startsWith("data: "));
            assertThat(lines.get(i + 1), is(""));
            if (!lines.get(i).equals("data: [DONE]")) {
                chunks.add(json(lines.get(i).substring("data: ".length())));
            }
        }
        assertThat(lines.get(lines.size() - 2), is("data: [DONE]"));
        JsonNode first = chunks.getFirst();
        for (JsonNode chunk : chunks) {
            assertThat(chunk.path("id").asText(), is(first.path("id").asText()));
            assertThat(chunk.path("object").asText(), is("chat.completion.chunk"));
            assertThat(chunk.path("created").asLong(), is(first.path("created").asLong()));
            assertThat(chunk.path("model").asText(), is("fake"));
        }
        assertThat(first.path("choices").path(0).path("delta").path("role").asText(), is("assistant"));
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(
                c.path("choices").path(0).path("delta").path("content").asText("")));
        assertThat(text.toString(), is("Fake model (not a real LLM) received: Hello!"));
        JsonNode finish = chunks.get(chunks.size() - 2).path("choices").path(0);
        assertThat(finish.path("finish_reason").asText(), is("stop"));
        JsonNode usage = chunks.getLast();
        assertThat(usage.path("choices").isArray() && usage.path("choices").isEmpty(), is(true));
        assertThat(usage.path("usage").path("completion_tokens").asLong() > 0, is(true));
    }

    @Test
    void modelListHasTheOpenAiShape() {
        JsonNode body = json(proxy.send(proxy.request("/v1/models")
                        .header("Authorization", "Bearer sk-anything")
                        .GET()
                        .build())
                .body());

        assertThat(body.path("object").asText(), is("list"));
        assertThat(fieldNames(body), containsInAnyOrder("object", "data", "default_model"));
        JsonNode fake = null;
        for (JsonNode model : body.path("data")) {
            // OpenAI's four fields, and the window a caller budgets its prompt with (clients ignore unknown keys)
            assertThat(
                    fieldNames(model),
                    containsInAnyOrder("id", "object", "created", "owned_by", "context_window", "max_output_tokens"));
            if (model.path("id").asText().equals("fake")) {
                fake = model;
            }
        }
        assertThat(fake.path("object").asText(), is("model"));
        assertThat(fake.path("owned_by").asText(), is("fake"));
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static final class HttpClientHolder {
        static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
    }
}
