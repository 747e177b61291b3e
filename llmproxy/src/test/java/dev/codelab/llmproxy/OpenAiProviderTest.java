package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.fakellm.Recorded;
import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code openai} provider passes requests and answers through unchanged (OpenAI's documented examples). */
class OpenAiProviderTest extends ProviderServerTest {

    static final String COMPLETION = """
            {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,\
            "model":"gpt-4.1-2025-04-14","choices":[{"index":0,"message":{"role":"assistant",\
            "content":"Hello! How can I assist you today?","refusal":null,"annotations":[]},"logprobs":null,\
            "finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,\
            "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":\
            {"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},\
            "service_tier":"default"}""";
    static final String TOOL_COMPLETION = """
            {"id":"chatcmpl-abc123","object":"chat.completion","created":1699896916,"model":"gpt-4o-mini",\
            "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_abc123",\
            "type":"function","function":{"name":"get_current_weather",\
            "arguments":"{\\"location\\": \\"Boston, MA\\"}"}}]},\
            "logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":82,"completion_tokens":17,\
            "total_tokens":99}}""";
    static final List<String> TEXT_CHUNKS = List.of("""
                    {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini",\
                    "system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"role":"assistant",\
                    "content":""},"logprobs":null,"finish_reason":null}],"usage":null}""", """
                    {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini",\
                    "system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":"Hello"},\
                    "logprobs":null,"finish_reason":null}],"usage":null}""", """
                    {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini",\
                    "system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{},"logprobs":null,\
                    "finish_reason":"stop"}],"usage":null}""");
    static final String USAGE_CHUNK = """
                    {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini",\
                    "system_fingerprint":"fp_44709d6fcb","choices":[],"usage":{"prompt_tokens":9,\
                    "completion_tokens":2,"total_tokens":11}}""";
    static final List<String> TOOL_CHUNKS = List.of("""
                    {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o",\
                    "choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,\
                    "id":"call_DdmO9pD3xa9XTPNJ32zg2hcA","type":"function","function":{"name":"get_weather",\
                    "arguments":""}}]},"finish_reason":null}]}""", """
                    {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o",\
                    "choices":[{"index":0,"delta":{"tool_calls":[{"index":0,\
                    "function":{"arguments":"{\\"location\\":"}}]},"finish_reason":null}]}""", """
                    {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o",\
                    "choices":[{"index":0,"delta":{"tool_calls":[{"index":0,\
                    "function":{"arguments":"\\"Paris, France\\"}"}}]},"finish_reason":null}]}""", """
                    {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o",\
                    "choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""");
    static final String REQUEST = """
            {"model":"gpt","messages":[{"role":"developer","content":"You are a helpful assistant."},\
            {"role":"user","content":"Hello!"}],"temperature":0.2,"max_tokens":50,"stop":["\\n\\n"],\
            "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],\
            "tool_choice":"auto","response_format":{"type":"text"}%s}""";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        upstream = startUpstream();
        serve(server, """
                models:
                  - alias: gpt
                    deployments:
                      - {provider: openai, model: gpt-4o-mini, base_url: "%s/v1", api_key_env: TEST_OPENAI_KEY}
                """.formatted(upstream.baseUrl()), Map.of(), Map.of("TEST_OPENAI_KEY", "sk-test"));
    }

    @Test
    void nonStreamingRequestAndAnswerPassThroughUnchanged() {
        upstream.then(Reply.json(200, COMPLETION));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", REQUEST.formatted(""));

        assertThat(response.statusCode(), is(200));
        assertThat(json(response.body()), is(json(COMPLETION)));
        Recorded sent = upstream.lastRequest();
        assertThat(sent.path(), is("/v1/chat/completions"));
        assertThat(sent.headers().get("authorization"), is("Bearer sk-test"));
        JsonNode expected = json(REQUEST.formatted(""));
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put("model", "gpt-4o-mini");
        assertThat(sent.json(), is(expected));
    }

    @Test
    void nonStreamingToolCallPassesThrough() {
        upstream.then(Reply.json(200, TOOL_COMPLETION));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", REQUEST.formatted(""));

        assertThat(json(response.body()), is(json(TOOL_COMPLETION)));
    }

    @Test
    void streamRelaysEveryChunkInOrderWithUsageWhenAsked() {
        upstream.then(Reply.openAiStream(concat(TEXT_CHUNKS, USAGE_CHUNK, "[DONE]")));

        List<String> data =
                proxy.streamData(REQUEST.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

        assertThat(data, contains(concat(TEXT_CHUNKS, USAGE_CHUNK, "[DONE]")));
        JsonNode sent = upstream.lastRequest().json();
        assertThat(sent.path("stream").asBoolean(), is(true));
        assertThat(sent.path("stream_options").path("include_usage").asBoolean(), is(true));
    }

    @Test
    void streamAsksTheProviderForUsageButDropsItWhenTheCallerDidNot() {
        upstream.then(Reply.openAiStream(concat(TEXT_CHUNKS, USAGE_CHUNK, "[DONE]")));

        List<String> data = proxy.streamData(REQUEST.formatted(",\"stream\":true"));

        assertThat(data, contains(concat(TEXT_CHUNKS, "[DONE]")));
        assertThat(
                upstream.lastRequest()
                        .json()
                        .path("stream_options")
                        .path("include_usage")
                        .asBoolean(),
                is(true));
    }

    @Test
    void streamRelaysToolCallDeltas() {
        upstream.then(Reply.openAiStream(concat(TOOL_CHUNKS, "[DONE]")));

        List<String> data = proxy.streamData(REQUEST.formatted(",\"stream\":true"));

        assertThat(data, contains(concat(TOOL_CHUNKS, "[DONE]")));
    }

    @Test
    void providerCommentsAreIgnored() {
        upstream.then(Reply.sse(
                ": OPENROUTER PROCESSING",
                "data: " + TEXT_CHUNKS.get(0),
                ": OPENROUTER PROCESSING",
                "data: " + TEXT_CHUNKS.get(2),
                "data: [DONE]"));

        List<String> data = proxy.streamData(REQUEST.formatted(",\"stream\":true"));

        assertThat(data, contains(TEXT_CHUNKS.get(0), TEXT_CHUNKS.get(2), "[DONE]"));
    }

    static String[] concat(List<String> first, String... rest) {
        return java.util.stream.Stream.concat(first.stream(), java.util.Arrays.stream(rest))
                .toArray(String[]::new);
    }
}
