package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code ollama} provider speaks the native {@code /api/chat} (NDJSON) and answers in OpenAI's shape. */
class OllamaProviderTest extends ProviderServerTest {

    static final String REQUEST = """
            {"model":"qwen","messages":[{"role":"system","content":"Be brief."},
             {"role":"user","content":"What is the weather today in Paris?"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
               "function":{"name":"get_current_weather","arguments":"{\\"location\\":\\"Paris, FR\\"}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"22 degrees"}],
             "tools":[{"type":"function","function":{"name":"get_current_weather","parameters":{"type":"object"}}}],
             "temperature":0.1,"max_tokens":64,"stop":"END","response_format":{"type":"json_object"}%s}""";
    static final String TOOL_ANSWER = """
            {"model":"llama3.2","created_at":"2024-07-22T20:33:28.123648Z","message":{"role":"assistant","content":"",
             "tool_calls":[{"function":{"name":"get_current_weather","arguments":{"format":"celsius",\
            "location":"Paris, FR"}}}]},
             "done_reason":"stop","done":true,"total_duration":885095291,"load_duration":3753500,\
            "prompt_eval_count":122,
             "prompt_eval_duration":328493000,"eval_count":33,"eval_duration":552222000}""";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        upstream = startUpstream();
        serve(server, """
                models:
                  - alias: qwen
                    deployments:
                      - {provider: ollama, model: "qwen3:0.6b", base_url_env: TEST_OLLAMA_URL}
                """, Map.of(), Map.of("TEST_OLLAMA_URL", upstream.baseUrl()));
    }

    @Test
    void requestIsTranslatedToTheNativeChatApi() {
        upstream.then(Reply.json(200, TOOL_ANSWER));

        proxy.post("/v1/chat/completions", REQUEST.formatted(""));

        assertThat(upstream.lastRequest().path(), is("/api/chat"));
        assertThat(upstream.lastRequest().json(), is(json("""
                {"model":"qwen3:0.6b","stream":false,"messages":[{"role":"system","content":"Be brief."},
                 {"role":"user","content":"What is the weather today in Paris?"},
                 {"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_current_weather",
                   "arguments":{"location":"Paris, FR"}}}]},
                 {"role":"tool","content":"22 degrees"}],
                 "tools":[{"type":"function","function":{"name":"get_current_weather","parameters":{"type":"object"}}}],
                 "format":"json","options":{"temperature":0.1,"num_predict":64,"stop":["END"]}}""")));
    }

    @Test
    void toolCallsGetIdsAndStringArguments() {
        upstream.then(Reply.json(200, TOOL_ANSWER));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", REQUEST.formatted(""));

        JsonNode choice = json(response.body()).path("choices").path(0);
        assertThat(choice.path("finish_reason").asText(), is("tool_calls"));
        assertThat(choice.path("message").path("content").isNull(), is(true));
        JsonNode call = choice.path("message").path("tool_calls").path(0);
        assertThat(call.path("id").asText().matches("call_[0-9a-f]{24}"), is(true));
        assertThat(call.path("type").asText(), is("function"));
        assertThat(call.path("function").path("name").asText(), is("get_current_weather"));
        assertThat(
                json(call.path("function").path("arguments").asText()),
                is(json("{\"format\":\"celsius\",\"location\":\"Paris, FR\"}")));
        assertThat(json(response.body()).path("usage"), is(json("""
                                        {"prompt_tokens":122,"completion_tokens":33,"total_tokens":155,\
                                        "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}""")));
    }

    @Test
    void textAnswerBecomesAnOpenAiCompletion() {
        upstream.then(Reply.json(200, """
                {"model":"qwen3:0.6b","created_at":"2023-12-12T14:13:43.416799Z","message":{"role":"assistant",
                 "content":"Hello! How are you today?"},"done":true,"done_reason":"stop","total_duration":5191566416,
                 "load_duration":2154458,"prompt_eval_count":26,"prompt_eval_duration":383809000,"eval_count":298,
                 "eval_duration":4799921000}"""));

        JsonNode body =
                json(proxy.post("/v1/chat/completions", REQUEST.formatted("")).body());

        assertThat(body.path("object").asText(), is("chat.completion"));
        assertThat(body.path("model").asText(), is("qwen3:0.6b"));
        assertThat(
                body.path("choices").path(0).path("message"),
                is(json("{\"role\":\"assistant\",\"content\":\"Hello! How are you today?\"}")));
        assertThat(body.path("choices").path(0).path("finish_reason").asText(), is("stop"));
        assertThat(body.path("usage"), is(json("""
                                        {"prompt_tokens":26,"completion_tokens":298,"total_tokens":324,\
                                        "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}""")));
    }

    @Test
    void missingModelErrorKeepsOllamasMessage() {
        upstream.then(Reply.json(404, "{\"error\":\"model 'qwen3:0.6b' not found, try pulling it first\"}"));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", REQUEST.formatted(""));

        assertThat(response.statusCode(), is(404));
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("code").asText(), is("model_not_found"));
        assertThat(
                error.path("message").asText(),
                is("ollama answered 404: model 'qwen3:0.6b' not found, try pulling it first"));
    }

    @Test
    void ndjsonStreamBecomesChunksWithUsage() {
        upstream.then(Reply.ndjson("""
                                {"model":"qwen3:0.6b","created_at":"2023-08-04T08:52:19.385406455-07:00",\
                                "message":{"role":"assistant","content":"The","images":null},"done":false}""", """
                                {"model":"qwen3:0.6b","created_at":"2023-08-04T08:52:19.5Z",\
                                "message":{"role":"assistant","content":" sky"},"done":false}""", """
                                {"model":"qwen3:0.6b","created_at":"2023-08-04T19:22:45.499127Z",\
                                "message":{"role":"assistant","content":""},"done":true,"done_reason":"length",\
                                "total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,\
                                "prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000}"""));

        List<String> data =
                proxy.streamData(REQUEST.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

        assertThat(upstream.lastRequest().json().path("stream").asBoolean(), is(true));
        assertThat(
                data.stream()
                        .map(d -> d.equals("[DONE]") ? d : summary(json(d)))
                        .toList(),
                contains(
                        "{\"role\":\"assistant\",\"content\":\"\"} null",
                        "{\"content\":\"The\"} null",
                        "{\"content\":\" sky\"} null",
                        "{} \"length\"",
                        """
                                usage {"prompt_tokens":26,"completion_tokens":282,"total_tokens":308,\
                                "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}""",
                        "[DONE]"));
    }

    @Test
    void streamedToolCallArrivesWhole() {
        upstream.then(Reply.ndjson("""
                                {"model":"qwen3:0.6b","created_at":"2024-07-22T20:33:28Z",\
                                "message":{"role":"assistant","content":"",\
                                "tool_calls":[{"function":{"name":"get_current_weather",\
                                "arguments":{"location":"Paris, FR"}}}]},"done":false}""", """
                                {"model":"qwen3:0.6b","created_at":"2024-07-22T20:33:29Z",\
                                "message":{"role":"assistant","content":""},"done":true,"done_reason":"stop",\
                                "prompt_eval_count":122,"eval_count":33}"""));

        List<String> data = proxy.streamData(REQUEST.formatted(",\"stream\":true"));

        JsonNode call = json(data.get(1))
                .path("choices")
                .path(0)
                .path("delta")
                .path("tool_calls")
                .path(0);
        assertThat(call.path("index").asInt(), is(0));
        assertThat(call.path("id").asText().matches("call_[0-9a-f]{24}"), is(true));
        assertThat(call.path("function").path("name").asText(), is("get_current_weather"));
        assertThat(call.path("function").path("arguments").asText(), is("{\"location\":\"Paris, FR\"}"));
        assertThat(
                json(data.get(2)).path("choices").path(0).path("finish_reason").asText(), is("tool_calls"));
        assertThat(data.getLast(), is("[DONE]"));
        assertThat(data.size(), is(4));
    }

    static String summary(JsonNode chunk) {
        if (chunk.path("choices").isEmpty()) {
            return "usage " + chunk.path("usage");
        }
        JsonNode choice = chunk.path("choices").path(0);
        return choice.path("delta") + " " + choice.path("finish_reason");
    }
}
