package dev.codelab.llmproxy.provider;

import static dev.codelab.llmproxy.provider.MapperCases.compact;
import static dev.codelab.llmproxy.provider.MapperCases.deployment;
import static dev.codelab.llmproxy.provider.MapperCases.object;
import static dev.codelab.llmproxy.provider.MapperCases.written;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codelab.llmproxy.registry.Deployment;
import dev.codelab.shared.http.Json;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** OpenAI requests as Ollama {@code /api/chat} requests, and Ollama's answers and NDJSON parts as OpenAI's. */
class OllamaMapperTest {

    private static final Deployment QWEN = deployment("ollama", "qwen3:0.6b", 0);
    private final OllamaMapper mapper = new OllamaMapper();

    @Test
    void callsTheNativeChatEndpointWithoutAKey() {
        assertThat(mapper.endpoint(QWEN).toString(), is("http://provider.test/api/chat"));
        assertThat(mapper.headers(QWEN), is(Map.of()));
        assertThat(mapper.name(QWEN), is("ollama"));
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of(
                        "roles, text parts joined, tool-call arguments as objects, options renamed", false, """
                        {"model":"qwen3","messages":[{"role":"developer","content":"Be terse."},
                         {"role":"user","content":[{"type":"text","text":"Hi "},{"type":"text","text":"there"}]},
                         {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
                          "function":{"name":"f","arguments":"{\\"a\\":1}"}}]},
                         {"role":"function","content":"42"}],
                         "temperature":0.1,"top_p":0.5,"seed":7,"max_tokens":64,"stop":"END"}""", """
                        {"model":"qwen3:0.6b","stream":false,"messages":[{"role":"system","content":"Be terse."},
                         {"role":"user","content":"Hi there"},
                         {"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{"a":1}}}]},
                         {"role":"tool","content":"42"}],
                         "options":{"temperature":0.1,"top_p":0.5,"seed":7,"num_predict":64,"stop":["END"]}}"""),
                Arguments.of("tools passed as they are, json format, stop list", true, """
                        {"messages":[{"role":"user","content":"Go"}],"tools":[{"type":"function",
                          "function":{"name":"now"}}],"response_format":{"type":"json_object"},"stop":["A","B"]}""", """
                        {"model":"qwen3:0.6b","stream":true,"messages":[{"role":"user","content":"Go"}],
                         "tools":[{"type":"function","function":{"name":"now"}}],"format":"json",
                         "options":{"stop":["A","B"]}}"""),
                Arguments.of(
                        "tool_choice none leaves the tools out; a json schema becomes the format", false, """
                        {"messages":[{"role":"user","content":"Go"}],"tools":[{"type":"function",
                          "function":{"name":"now"}}],"tool_choice":"none",
                         "response_format":{"type":"json_schema","json_schema":{"name":"x",
                          "schema":{"type":"object"}}}}""", """
                        {"model":"qwen3:0.6b","stream":false,"messages":[{"role":"user","content":"Go"}],
                         "format":{"type":"object"}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void translatesTheRequest(String name, boolean stream, String caller, String expected) {
        var body = object(caller);
        String before = Json.write(body);
        assertThat(Json.write(mapper.request(body, QWEN, stream)), is(compact(expected)));
        assertThat("the caller's body is not modified", Json.write(body), is(before));
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("text; done_reason length", """
                        {"model":"qwen3:0.6b","message":{"role":"assistant","content":"Hello"},
                         "done":true,"done_reason":"length","prompt_eval_count":26,"eval_count":3}""", """
                        {"id":"chatcmpl-ID","object":"chat.completion","created":0,"model":"qwen3:0.6b",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},
                          "finish_reason":"length"}],
                         "usage":{"prompt_tokens":26,"completion_tokens":3,"total_tokens":29,
                          "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}}"""),
                Arguments.of("a tool call gets an id and string arguments; content null", """
                        {"message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather",
                          "arguments":{"city":"Paris"}}}]},"done":true,"done_reason":"stop"}""", """
                        {"id":"chatcmpl-ID","object":"chat.completion","created":0,"model":"qwen3:0.6b",
                         "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                          {"id":"call_ID","type":"function","function":{"name":"get_weather",
                           "arguments":"{\\"city\\":\\"Paris\\"}"}}]},"finish_reason":"tool_calls"}],
                         "usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0,
                          "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void translatesTheAnswer(String name, String answer, String expected) {
        ChatCompletion completion = mapper.completion(object(answer), new byte[0], QWEN);
        assertThat(written(completion.json()), is(compact(expected)));
    }

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("text parts, blank lines skipped, usage at done, nothing read after it", """
                        {"message":{"role":"assistant","content":""},"done":false}

                        {"message":{"role":"assistant","content":"Hel"},"done":false}
                        {"message":{"role":"assistant","content":"lo"},"done":false}
                        {"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop",\
                        "prompt_eval_count":26,"eval_count":2}
                        {"message":{"content":"after done"},"done":false}
                        """, """
                        {$CHUNK,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}
                        {$CHUNK,"choices":[],"usage":{"prompt_tokens":26,"completion_tokens":2,"total_tokens":28,\
                        "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}}
                        """),
                Arguments.of("two whole tool calls get the next indexes and finish as tool_calls", """
                        {"message":{"role":"assistant","content":"","tool_calls":[\
                        {"function":{"name":"a","arguments":{}}},{"function":{"name":"b","arguments":{"x":1}}}]},\
                        "done":false}
                        {"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}
                        """, """
                        {$CHUNK,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_ID",\
                        "type":"function","function":{"name":"a","arguments":"{}"}}]},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_ID",\
                        "type":"function","function":{"name":"b","arguments":"{\\"x\\":1}"}}]},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
                        {$CHUNK,"choices":[],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0,\
                        "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}}
                        """));
    }

    /** {@code body}: the NDJSON lines as Ollama sends them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void translatesTheStream(String name, String body, String chunks) {
        assertThat(
                MapperCases.stream(mapper, QWEN, body.lines().toList()), is(MapperCases.chunks(chunks, QWEN.model())));
    }

    static Stream<Arguments> brokenStreams() {
        return Stream.of(
                Arguments.of(
                        List.of("{\"message\":{\"content\":\"Hi\"},\"done\":false}"),
                        "ollama: stream ended before done"),
                Arguments.of(List.of("{\"error\":\"model 'x' not found\"}"), "ollama: model 'x' not found"),
                Arguments.of(List.of("nope"), "ollama: stream sent an event that is not a JSON object"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("brokenStreams")
    void failsABrokenStream(List<String> lines, String message) {
        ProviderException e = assertThrows(ProviderException.class, () -> MapperCases.stream(mapper, QWEN, lines));
        assertThat(e.status(), is(502));
        assertThat(e.getMessage(), is(message));
    }
}
