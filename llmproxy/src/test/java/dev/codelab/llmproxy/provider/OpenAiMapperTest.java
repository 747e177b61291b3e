package dev.codelab.llmproxy.provider;

import static dev.codelab.llmproxy.provider.MapperCases.compact;
import static dev.codelab.llmproxy.provider.MapperCases.deployment;
import static dev.codelab.llmproxy.provider.MapperCases.object;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codelab.llmproxy.registry.Deployment;
import dev.codelab.shared.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** OpenAI-compatible providers: the request passes with the deployment's model, the answer comes back as sent. */
class OpenAiMapperTest {

    private static final Deployment OPENROUTER = deployment("openrouter", "openai/gpt-4o", 0);
    private final OpenAiMapper mapper = new OpenAiMapper();

    @Test
    void callsTheChatCompletionsEndpointWithTheBearerKey() {
        assertThat(mapper.endpoint(OPENROUTER).toString(), is("http://provider.test/chat/completions"));
        assertThat(mapper.headers(OPENROUTER), is(Map.of("Authorization", "Bearer sk-test")));
        assertThat(mapper.name(OPENROUTER), is("openrouter"));
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("a whole answer: the model renamed, stream_options dropped", false, """
                        {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"temperature":0.2,
                         "stream_options":{"include_usage":false},"x_vendor":{"keep":true}}""", """
                        {"model":"openai/gpt-4o","messages":[{"role":"user","content":"Hi"}],"temperature":0.2,
                         "x_vendor":{"keep":true}}"""),
                Arguments.of("a stream: usage always asked for", true, """
                        {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"stream":true,
                         "stream_options":{"include_usage":false}}""", """
                        {"model":"openai/gpt-4o","messages":[{"role":"user","content":"Hi"}],"stream":true,
                         "stream_options":{"include_usage":true}}"""),
                Arguments.of("a stream without stream_options gets them last", true, """
                        {"messages":[{"role":"user","content":"Hi"}],"stream":true}""", """
                        {"messages":[{"role":"user","content":"Hi"}],"stream":true,"model":"openai/gpt-4o",
                         "stream_options":{"include_usage":true}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void translatesTheRequest(String name, boolean stream, String caller, String expected) {
        var body = object(caller);
        String before = Json.write(body);
        assertThat(Json.write(mapper.request(body, OPENROUTER, stream)), is(compact(expected)));
        assertThat("the caller's body is not modified", Json.write(body), is(before));
    }

    @Test
    void passesTheAnswerBytesThrough() {
        String text = """
                {"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",\
                "content":"Hi"},"finish_reason":"stop"}],  "usage":{"prompt_tokens":3}}""";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ChatCompletion completion = mapper.completion(object(text), bytes, OPENROUTER);
        assertThat(completion.bytes(), is(sameInstance(bytes)));
        assertThat(Json.write(completion.json()), is(compact(text)));
    }

    static Stream<Arguments> brokenAnswers() {
        return Stream.of(
                Arguments.of("[1,2]", "openrouter: answer is not a chat completion"),
                Arguments.of("{\"id\":\"x\"}", "openrouter: answer is not a chat completion"),
                Arguments.of("{\"choices\":{}}", "openrouter: answer is not a chat completion"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenAnswers")
    void refusesAnAnswerThatIsNotAChatCompletion(String answer, String message) throws Exception {
        ProviderException e = assertThrows(
                ProviderException.class,
                () -> mapper.completion(Json.read(answer), answer.getBytes(StandardCharsets.UTF_8), OPENROUTER));
        assertThat(e.status(), is(502));
        assertThat(e.getMessage(), is(message));
    }

    static final String ROLE = """
            {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant"},\
            "finish_reason":null}]}""";
    static final String FINISH = """
            {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""";
    static final String USAGE = """
            {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":3}}""";

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of(
                        "each chunk relayed as sent, comments skipped, ending at [DONE]",
                        List.of(
                                ": OPENROUTER PROCESSING",
                                "",
                                "data: " + ROLE,
                                "",
                                "data: " + FINISH,
                                "",
                                "data: " + USAGE,
                                "",
                                "data: [DONE]",
                                "",
                                "data: " + ROLE,
                                ""),
                        List.of("relayed " + ROLE, "relayed " + FINISH, "relayed " + USAGE)),
                Arguments.of(
                        "a body that ends after the finish chunk without [DONE] is complete",
                        List.of("data: " + ROLE, "", "data: " + FINISH, ""),
                        List.of("relayed " + ROLE, "relayed " + FINISH)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void relaysTheStream(String name, List<String> body, List<String> chunks) {
        assertThat(MapperCases.stream(mapper, OPENROUTER, body), contains(chunks.toArray()));
    }

    static Stream<Arguments> brokenStreams() {
        return Stream.of(
                Arguments.of(List.of("data: " + ROLE, ""), "openrouter: stream ended before the answer was complete"),
                Arguments.of(
                        List.of("data: not json", ""), "openrouter: stream sent an event that is not a JSON object"),
                Arguments.of(
                        List.of("data: {\"error\":{\"message\":\"model overloaded\",\"code\":502}}", ""),
                        "openrouter: model overloaded"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("brokenStreams")
    void failsABrokenStream(List<String> body, String message) {
        ProviderException e = assertThrows(ProviderException.class, () -> MapperCases.stream(mapper, OPENROUTER, body));
        assertThat(e.status(), is(502));
        assertThat(e.getMessage(), is(message));
    }
}
