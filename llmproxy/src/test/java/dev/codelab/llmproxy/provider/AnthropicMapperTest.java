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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** OpenAI requests as Anthropic Messages API requests, and Anthropic's answers and stream events as OpenAI's. */
class AnthropicMapperTest {

    private static final String MODEL = "claude-sonnet-4-20250514";
    private final AnthropicMapper mapper = new AnthropicMapper(4096);

    @Test
    void callsTheMessagesEndpointWithVersionAndKey() {
        Deployment d = deployment("anthropic", MODEL, 0);
        assertThat(mapper.endpoint(d).toString(), is("http://provider.test/v1/messages"));
        assertThat(mapper.headers(d), is(Map.of("anthropic-version", "2023-06-01", "x-api-key", "sk-test")));
        assertThat(mapper.name(d), is("anthropic"));
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of(
                        "system and developer joined, json answers asked for, stop, sampling and user copied",
                        0,
                        """
                        {"model":"claude","messages":[{"role":"system","content":"Be terse."},
                         {"role":"developer","content":[{"type":"text","text":"Use metric units."}]},
                         {"role":"user","content":"Weather?"}],
                         "response_format":{"type":"json_object"},"stop":["END","STOP"],"temperature":0.5,
                         "top_p":0.9,"user":"u-1","stream":true,"max_completion_tokens":100}""",
                        """
                        {"model":"claude-sonnet-4-20250514","max_tokens":100,
                         "messages":[{"role":"user","content":[{"type":"text","text":"Weather?"}]}],
                         "system":"Be terse.\\n\\nUse metric units.\\n\\n\
                        Answer with one JSON object only, no other text.",
                         "stop_sequences":["END","STOP"],"temperature":0.5,"top_p":0.9,
                         "metadata":{"user_id":"u-1"},"stream":true}"""),
                Arguments.of(
                        "messages of one role merged, tool results as user blocks, empty text dropped", 0, """
                        {"messages":[{"role":"user","content":"One"},{"role":"user","content":"Two"},
                         {"role":"assistant","content":null,"tool_calls":[{"id":"t1","type":"function",
                          "function":{"name":"f","arguments":"not json"}}]},
                         {"role":"tool","tool_call_id":"t1","content":"done"},
                         {"role":"function","call_id":"t2","content":"also"}],"max_tokens":7}""", """
                        {"model":"claude-sonnet-4-20250514","max_tokens":7,"messages":[
                         {"role":"user","content":[{"type":"text","text":"One"},{"type":"text","text":"Two"}]},
                         {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},
                         {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"done"},
                          {"type":"tool_result","tool_use_id":"t2","content":"also"}]}]}"""),
                Arguments.of("a named tool choice, no parallel calls, a tool without parameters", 0, """
                        {"messages":[{"role":"user","content":"Go"}],"tools":[{"type":"function",
                          "function":{"name":"now"}}],
                         "tool_choice":{"type":"function","function":{"name":"now"}},
                         "parallel_tool_calls":false}""", """
                        {"model":"claude-sonnet-4-20250514","max_tokens":4096,
                         "messages":[{"role":"user","content":[{"type":"text","text":"Go"}]}],
                         "tools":[{"name":"now","input_schema":{"type":"object"}}],
                         "tool_choice":{"type":"tool","name":"now","disable_parallel_tool_use":true}}"""),
                Arguments.of("tool_choice none; breakpoints on system, last message and last tool", 4, """
                        {"messages":[{"role":"system","content":"S"},{"role":"user","content":"U"}],
                         "tools":[{"type":"function","function":{"name":"a","parameters":{"type":"object"}}},
                                  {"type":"function","function":{"name":"b","description":"B"}}],
                         "tool_choice":"none"}""", """
                        {"model":"claude-sonnet-4-20250514","max_tokens":4096,
                         "messages":[{"role":"user","content":[{"type":"text","text":"U",
                          "cache_control":{"type":"ephemeral"}}]}],
                         "system":[{"type":"text","text":"S","cache_control":{"type":"ephemeral"}}],
                         "tools":[{"name":"a","input_schema":{"type":"object"}},
                          {"name":"b","description":"B","input_schema":{"type":"object"},
                           "cache_control":{"type":"ephemeral"}}],
                         "tool_choice":{"type":"none"}}"""),
                Arguments.of("one breakpoint goes to the system prompt", 1, """
                        {"messages":[{"role":"system","content":"S"},{"role":"user","content":"U"}],
                         "tool_choice":"auto"}""", """
                        {"model":"claude-sonnet-4-20250514","max_tokens":4096,
                         "messages":[{"role":"user","content":[{"type":"text","text":"U"}]}],
                         "system":[{"type":"text","text":"S","cache_control":{"type":"ephemeral"}}]}"""),
                Arguments.of("without a system prompt the first breakpoint goes to the last message", 1, """
                        {"messages":[{"role":"user","content":"U"}]}""", """
                        {"model":"claude-sonnet-4-20250514","max_tokens":4096,
                         "messages":[{"role":"user","content":[{"type":"text","text":"U",
                          "cache_control":{"type":"ephemeral"}}]}]}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void translatesTheRequest(String name, int cacheBreakpoints, String caller, String expected) {
        var body = object(caller);
        String before = Json.write(body);
        var translated = mapper.request(body, deployment("anthropic", MODEL, cacheBreakpoints), false);
        assertThat(Json.write(translated), is(compact(expected)));
        assertThat("the caller's body is not modified", Json.write(body), is(before));
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("text and a tool call; thinking left out", """
                        {"id":"msg_1","model":"claude-sonnet-4-20250514","stop_reason":"tool_use","content":[
                         {"type":"thinking","thinking":"hm"},{"type":"text","text":"Checking."},
                         {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"location":"SF"}}],
                         "usage":{"input_tokens":384,"output_tokens":90}}""", """
                        {"id":"chatcmpl-ID","object":"chat.completion","created":0,"model":"claude-sonnet-4-20250514",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"Checking.","tool_calls":[
                          {"id":"toolu_1","type":"function","function":{"name":"get_weather",
                           "arguments":"{\\"location\\":\\"SF\\"}"}}]},"finish_reason":"tool_calls"}],
                         "usage":{"prompt_tokens":384,"completion_tokens":90,"total_tokens":474,
                          "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}}"""),
                Arguments.of("only a tool call: content null; cache reads and writes in the prompt tokens", """
                        {"stop_reason":"max_tokens","content":[{"type":"tool_use","id":"toolu_2","name":"f",
                          "input":{}}],
                         "usage":{"input_tokens":10,"output_tokens":5,"cache_read_input_tokens":1000,
                          "cache_creation_input_tokens":200}}""", """
                        {"id":"chatcmpl-ID","object":"chat.completion","created":0,"model":"claude-sonnet-4-20250514",
                         "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                          {"id":"toolu_2","type":"function","function":{"name":"f","arguments":"{}"}}]},
                          "finish_reason":"length"}],
                         "usage":{"prompt_tokens":1210,"completion_tokens":5,"total_tokens":1215,
                          "prompt_tokens_details":{"cached_tokens":1000,"cache_creation_tokens":200}}}"""),
                Arguments.of("no content at all: empty text", """
                        {"model":"claude-x","stop_reason":"refusal","content":[],"usage":{}}""", """
                        {"id":"chatcmpl-ID","object":"chat.completion","created":0,"model":"claude-x",
                         "choices":[{"index":0,"message":{"role":"assistant","content":""},
                          "finish_reason":"content_filter"}],
                         "usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0,
                          "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void translatesTheAnswer(String name, String answer, String expected) {
        ChatCompletion completion = mapper.completion(object(answer), new byte[0], deployment("anthropic", MODEL, 0));
        assertThat(written(completion.json()), is(compact(expected)));
        assertThat(new String(completion.bytes()), is(Json.write(completion.json())));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "end_turn,stop",
        "stop_sequence,stop",
        "max_tokens,length",
        "tool_use,tool_calls",
        "refusal,content_filter",
        "pause_turn,stop"
    })
    void mapsTheStopReason(String stopReason, String finishReason) {
        assertThat(AnthropicMapper.finishReason(stopReason), is(finishReason));
    }

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("text, a tool call in pieces, cache tokens in the usage chunk", """
                        {"type":"message_start","message":{"model":"claude-sonnet-4-20250514",\
                        "usage":{"input_tokens":472,"output_tokens":2,"cache_read_input_tokens":100}}}
                        {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
                        {"type": "ping"}
                        {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay"}}
                        {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"x"}}
                        {"type":"content_block_stop","index":0}
                        {"type":"content_block_start","index":1,"content_block":{"type":"tool_use",\
                        "id":"toolu_1","name":"get_weather","input":{}}}
                        {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta",\
                        "partial_json":"{\\"loc\\":"}}
                        {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta",\
                        "partial_json":"\\"SF\\"}"}}
                        {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":89}}
                        {"type":"message_stop"}
                        """, """
                        {$CHUNK,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{"content":"Okay"},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"toolu_1",\
                        "type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,\
                        "function":{"arguments":"{\\"loc\\":"}}]},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,\
                        "function":{"arguments":"\\"SF\\"}"}}]},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
                        {$CHUNK,"choices":[],"usage":{"prompt_tokens":572,"completion_tokens":89,"total_tokens":661,\
                        "prompt_tokens_details":{"cached_tokens":100,"cache_creation_tokens":0}}}
                        """),
                Arguments.of(
                        "a text block that starts with text; the event name stands in for a missing type", """
                        {"type":"message_start","message":{"model":"claude-sonnet-4-20250514","usage":{}}}
                        {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Hi"}}
                        {"delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":1}}
                        {"type":"message_stop"}
                        """, """
                        {$CHUNK,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}
                        {$CHUNK,"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}
                        {$CHUNK,"choices":[],"usage":{"prompt_tokens":0,"completion_tokens":1,"total_tokens":1,\
                        "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}}
                        """));
    }

    /** {@code events}: one event's data a line, sent under its type's name ({@code message_delta} when it has none). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void translatesTheStream(String name, String events, String chunks) {
        List<String> body = new ArrayList<>();
        events.lines().forEach(data -> {
            String type = object(data).path("type").asText("message_delta");
            body.addAll(List.of("event: " + type, "data: " + data, ""));
        });
        assertThat(
                MapperCases.stream(mapper, deployment("anthropic", MODEL, 0), body),
                is(MapperCases.chunks(chunks, MODEL)));
    }

    private static final String OVERLOADED = """
            {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""";

    static Stream<Arguments> brokenStreams() {
        return Stream.of(
                Arguments.of(
                        List.of("event: message_start", "data: {\"type\":\"message_start\",\"message\":{}}", ""),
                        502,
                        "anthropic: stream ended before message_stop"),
                Arguments.of(
                        List.of("event: error", "data: " + OVERLOADED, ""), 503, "anthropic answered 529: Overloaded"),
                Arguments.of(List.of("data: [", ""), 502, "anthropic: stream sent an event that is not a JSON object"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("brokenStreams")
    void failsABrokenStream(List<String> body, int status, String message) {
        ProviderException e = assertThrows(
                ProviderException.class, () -> MapperCases.stream(mapper, deployment("anthropic", MODEL, 0), body));
        assertThat(e.status(), is(status));
        assertThat(e.getMessage(), is(message));
    }
}
