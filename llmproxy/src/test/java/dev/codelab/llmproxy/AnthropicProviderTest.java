package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.testing.TestProxy;
import dev.codelab.shared.fakellm.FakeLlm;
import dev.codelab.shared.fakellm.Recorded;
import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code anthropic} provider translates OpenAI requests to the Messages API and its answers back. */
class AnthropicProviderTest extends ProviderServerTest {

    static final String REQUEST = """
            {"model":"claude","messages":[
             {"role":"system","content":"You are terse."},
             {"role":"user","content":"What is the weather in San Francisco?"},
             {"role":"assistant","content":"Let me check.","tool_calls":[{"id":"toolu_01A09q90qw90lq917835lq9",\
            "type":"function",
               "function":{"name":"get_weather","arguments":"{\\"location\\":\\"San Francisco, CA\\"}"}}]},
             {"role":"tool","tool_call_id":"toolu_01A09q90qw90lq917835lq9","content":"15 degrees"},
             {"role":"user","content":"Thanks"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Get the current weather",
               "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}],
             "tool_choice":"required","stop":"END","temperature":0.5%s}""";
    static final String TRANSLATED = """
            {"model":"claude-sonnet-4-20250514","max_tokens":4096,"messages":[
             {"role":"user","content":[{"type":"text","text":"What is the weather in San Francisco?"}]},
             {"role":"assistant","content":[{"type":"text","text":"Let me check."},
               {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather",\
            "input":{"location":"San Francisco, CA"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9",\
            "content":"15 degrees"},
               {"type":"text","text":"Thanks","cache_control":{"type":"ephemeral"}}]}],
             "system":[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}],
             "tools":[{"name":"get_weather","description":"Get the current weather",
               "input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]},
               "cache_control":{"type":"ephemeral"}}],
             "tool_choice":{"type":"any"},"stop_sequences":["END"],"temperature":0.5}""";
    static final String MESSAGE = """
            {"id":"msg_01Aq9w938a90dw8q","model":"claude-sonnet-4-20250514","stop_reason":"tool_use","role":"assistant",
             "type":"message","content":[{"type":"text",\
            "text":"I'll check the current weather in San Francisco for you."},
             {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather",\
            "input":{"location":"San Francisco, CA"}}],
             "usage":{"input_tokens":384,"output_tokens":90}}""";
    static final String[] STREAM = {
        """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message",\
                "role":"assistant","model":"claude-sonnet-4-20250514","stop_sequence":null,\
                "usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}""",
        """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        "event: ping\ndata: {\"type\": \"ping\"}",
        """
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay"}}""",
        """
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,\
                "delta":{"type":"text_delta","text":", let's check the weather."}}""",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
        """
                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use",\
                "id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}""",
        """
                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}""",
        """
                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta",\
                "partial_json":"{\\"location\\":"}}""",
        """
                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta",\
                "partial_json":" \\"San Francisco, CA\\"}"}}""",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}",
        """
                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},\
                "usage":{"output_tokens":89}}""",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}"
    };
    static final String OVERLOADED =
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        upstream = startUpstream();
        serve(server, """
                models:
                  - alias: claude
                    deployments:
                      - {provider: anthropic, model: claude-sonnet-4-20250514, base_url: "%s", api_key_env: \
                TEST_ANTHROPIC_KEY}
                """.formatted(upstream.baseUrl()), Map.of(), Map.of("TEST_ANTHROPIC_KEY", "sk-ant-test"));
    }

    @Test
    void requestIsTranslatedToTheMessagesApi() {
        upstream.then(Reply.json(200, MESSAGE));

        proxy.post("/v1/chat/completions", REQUEST.formatted(""));

        Recorded sent = upstream.lastRequest();
        assertThat(sent.path(), is("/v1/messages"));
        assertThat(sent.headers().get("x-api-key"), is("sk-ant-test"));
        assertThat(sent.headers().get("anthropic-version"), is("2023-06-01"));
        assertThat(sent.json(), is(json(TRANSLATED)));
    }

    @Test
    void forcedToolChoiceAndSerialToolUseAreTranslated() {
        upstream.then(Reply.json(200, MESSAGE));

        proxy.post(
                "/v1/chat/completions",
                REQUEST.formatted(",\"max_tokens\":100,\"parallel_tool_calls\":false")
                        .replace(
                                "\"tool_choice\":\"required\"",
                                "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"));

        JsonNode sent = upstream.lastRequest().json();
        assertThat(
                sent.path("tool_choice"),
                is(json("{\"type\":\"tool\",\"name\":\"get_weather\",\"disable_parallel_tool_use\":true}")));
        assertThat(sent.path("max_tokens").asInt(), is(100));
    }

    @Test
    void answerWithToolUseBecomesAnOpenAiCompletion() {
        upstream.then(Reply.json(200, MESSAGE));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", REQUEST.formatted(""));

        assertThat(response.statusCode(), is(200));
        JsonNode body = json(response.body());
        assertThat(body.path("id").asText(), startsWith("chatcmpl-"));
        assertThat(body.path("object").asText(), is("chat.completion"));
        assertThat(body.path("model").asText(), is("claude-sonnet-4-20250514"));
        JsonNode choice = body.path("choices").path(0);
        assertThat(choice.path("finish_reason").asText(), is("tool_calls"));
        assertThat(choice.path("message"), is(json("""
                {"role":"assistant","content":"I'll check the current weather in San Francisco for you.",
                 "tool_calls":[{"id":"toolu_01A09q90qw90lq917835lq9","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"location\\":\\"San Francisco, CA\\"}"}}]}""")));
        assertThat(body.path("usage"), is(json("""
                                        {"prompt_tokens":384,"completion_tokens":90,"total_tokens":474,\
                                        "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}""")));
    }

    @Test
    void textAnswerMapsStopReasonsAndCacheTokens() {
        upstream.then(Reply.json(200, """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
                 "content":[{"type":"text","text":"Hi"}],"stop_reason":"max_tokens",
                 "usage":{"input_tokens":10,"cache_read_input_tokens":5,"cache_creation_input_tokens":2,\
                "output_tokens":3}}"""));

        JsonNode body =
                json(proxy.post("/v1/chat/completions", REQUEST.formatted("")).body());

        assertThat(body.path("choices").path(0).path("message").path("content").asText(), is("Hi"));
        assertThat(body.path("choices").path(0).path("finish_reason").asText(), is("length"));
        assertThat(body.path("usage"), is(json("""
                {"prompt_tokens":17,"completion_tokens":3,"total_tokens":20,
                 "prompt_tokens_details":{"cached_tokens":5,"cache_creation_tokens":2}}""")));
    }

    @Test
    void streamedCacheTokensReachTheUsageChunk() {
        upstream.then(Reply.sse("""
                        event: message_start
                        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant",\
                        "model":"claude-sonnet-4-20250514","content":[],"usage":{"input_tokens":12,\
                        "cache_creation_input_tokens":0,"cache_read_input_tokens":2048,"output_tokens":1}}}""", """
                        event: content_block_start
                        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""", """
                        event: content_block_delta
                        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}""", """
                        event: message_delta
                        data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},\
                        "usage":{"output_tokens":4}}""", """
                        event: message_stop
                        data: {"type":"message_stop"}"""));

        List<String> data =
                proxy.streamData(REQUEST.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

        assertThat(json(data.get(data.size() - 2)).path("usage"), is(json("""
                {"prompt_tokens":2060,"completion_tokens":4,"total_tokens":2064,
                 "prompt_tokens_details":{"cached_tokens":2048,"cache_creation_tokens":0}}""")));
    }

    @Test
    void moreCacheBreakpointsThanAnthropicAllowsStopTheStart() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> TestProxy.create(registry(upstream, 5)));
        assertThat(e.getMessage(), is("Model claude: cache_breakpoints must be 0 to 4, not 5"));
    }

    private static String registry(FakeLlm upstream, int breakpoints) {
        return """
                models:
                  - alias: claude
                    cache_breakpoints: %d
                    deployments:
                      - {provider: anthropic, model: claude-sonnet-4-20250514, base_url: "%s", api_key_env: \
                TEST_ANTHROPIC_KEY}
                """.formatted(breakpoints, upstream.baseUrl());
    }

    @Test
    void streamEventsBecomeOpenAiChunksWithToolCallDeltasAndUsage() {
        upstream.then(Reply.sse(STREAM));

        List<String> data =
                proxy.streamData(REQUEST.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

        assertThat(data.getLast(), is("[DONE]"));
        List<JsonNode> chunks =
                data.subList(0, data.size() - 1).stream().map(TestProxy::json).toList();
        List<String> deltas = new ArrayList<>();
        for (JsonNode chunk : chunks) {
            assertThat(chunk.path("object").asText(), is("chat.completion.chunk"));
            assertThat(
                    chunk.path("id").asText(), is(chunks.getFirst().path("id").asText()));
            if (!chunk.path("choices").isEmpty()) {
                deltas.add(chunk.path("choices").path(0).path("delta").toString() + " "
                        + chunk.path("choices").path(0).path("finish_reason"));
            }
        }
        assertThat(
                deltas,
                contains(
                        "{\"role\":\"assistant\",\"content\":\"\"} null",
                        "{\"content\":\"Okay\"} null",
                        "{\"content\":\", let's check the weather.\"} null",
                        """
                                {"tool_calls":[{"index":0,"id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","type":"function",\
                                "function":{"name":"get_weather","arguments":""}}]} null""",
                        "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\"}}]} null",
                        "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"location\\\":\"}}]} null",
                        """
                                {"tool_calls":[{"index":0,\
                                "function":{"arguments":" \\"San Francisco, CA\\"}"}}]} null""",
                        "{} \"tool_calls\""));
        JsonNode usage = chunks.getLast();
        assertThat(usage.path("choices").isEmpty(), is(true));
        assertThat(usage.path("usage"), is(json("""
                                        {"prompt_tokens":472,"completion_tokens":89,"total_tokens":561,\
                                        "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}""")));
        assertThat(upstream.lastRequest().json().path("stream").asBoolean(), is(true));
    }

    @Test
    void errorEventAfterTheFirstChunkEndsTheStreamWithAnErrorAndNoDone() {
        upstream.then(Reply.sse(STREAM[0], STREAM[3], "event: error\ndata: " + OVERLOADED));

        List<String> data = proxy.streamData(REQUEST.formatted(",\"stream\":true"));

        assertThat(data, hasSize(3));
        assertThat(data.getLast(), not(is("[DONE]")));
        JsonNode error = json(data.getLast()).path("error");
        assertThat(error.path("code").asText(), is("provider_unavailable"));
        assertThat(error.path("message").asText(), containsString("Overloaded"));
        assertThat(upstream.requests(), hasSize(1));
    }

    @Test
    void overloaded529ThenSuccess() {
        upstream.then(Reply.json(529, OVERLOADED)).then(Reply.json(200, MESSAGE));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", REQUEST.formatted(""));

        assertThat(response.statusCode(), is(200));
        assertThat(upstream.requests(), hasSize(2));
    }
}
