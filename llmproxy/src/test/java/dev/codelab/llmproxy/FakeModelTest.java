package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fake model's conversation rules, as the agent runtime and the dev stack rely on them. */
class FakeModelTest extends LlmProxyServerTest {

    static final String TOOLS = """
            [{"type":"function","function":{"name":"write_file","parameters":{"type":"object"}}},
             {"type":"function","function":{"name":"read_file","parameters":{"type":"object"}}},
             {"type":"function","function":{"name":"list_files","parameters":{"type":"object"}}},
             {"type":"function","function":{"name":"execute_command","parameters":{"type":"object"}}},
             {"type":"function","function":{"name":"attempt_completion","parameters":{"type":"object"}}}]""";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, null, Map.of());
    }

    static JsonNode complete(String messages, String extra) {
        return json(proxy.post("/v1/chat/completions", "{\"model\":\"fake\",\"messages\":" + messages + extra + "}")
                .body());
    }

    static String user(String text) {
        return "[{\"role\":\"system\",\"content\":\"You are the coder.\"},{\"role\":\"user\",\"content\":\"" + text
                + "\"}]";
    }

    @Test
    void createFileRequestCallsWriteFile() {
        JsonNode body = complete(user("create a file hello.txt with hi"), ",\"tools\":" + TOOLS);

        JsonNode choice = body.path("choices").path(0);
        assertThat(choice.path("finish_reason").asText(), is("tool_calls"));
        JsonNode call = choice.path("message").path("tool_calls").path(0);
        assertThat(call.path("id").asText().startsWith("call_"), is(true));
        assertThat(call.path("type").asText(), is("function"));
        assertThat(call.path("function").path("name").asText(), is("write_file"));
        assertThat(
                json(call.path("function").path("arguments").asText()),
                is(json("{\"path\":\"hello.txt\",\"content\":\"hi\"}")));
        assertThat(body.path("usage").path("total_tokens").asLong() > 0, is(true));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"""
                        replace 'hello world' with 'hi' in a.txt|{"path":"a.txt","edits":[{"old_text":"hello world",\
                        "new_text":"hi"}]}""", """
                        Replace every "foo" with "bar" in the file src/x.js.|{"path":"src/x.js",\
                        "edits":[{"old_text":"foo","new_text":"bar"}],"replace_all":true}"""})
    void replaceRequestsCallEditFile(String request, String arguments) {
        String tools =
                "[{\"type\":\"function\",\"function\":{\"name\":\"edit_file\",\"parameters\":{\"type\":\"object\"}}}]";
        JsonNode call = complete(user(request.replace("\"", "\\\"")), ",\"tools\":" + tools)
                .path("choices")
                .path(0)
                .path("message")
                .path("tool_calls")
                .path(0)
                .path("function");

        assertThat(call.path("name").asText(), is("edit_file"));
        assertThat(json(call.path("arguments").asText()), is(json(arguments)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                """
                        Please write the file notes/todo.md containing buy milk | write_file | {"path":"notes/todo.md"\
                        ,"content":"buy milk"}""",
                "show main.py | read_file | {\"path\":\"main.py\"}",
                "Can you open the file src/App.java? | read_file | {\"path\":\"src/App.java\"}",
                "list files in src | list_files | {\"path\":\"src\"}",
                "list files | list_files | {\"path\":\".\"}",
                "run ls -la | execute_command | {\"command\":\"ls -la\"}"
            })
    void requestsMapToToolCalls(String text, String tool, String arguments) {
        JsonNode call = complete(user(text), ",\"tools\":" + TOOLS)
                .path("choices")
                .path(0)
                .path("message")
                .path("tool_calls")
                .path(0);

        assertThat(call.path("function").path("name").asText(), is(tool));
        assertThat(json(call.path("function").path("arguments").asText()), is(json(arguments)));
    }

    @Test
    void toolsThatAreNotOfferedAreNeverCalled() {
        JsonNode message = complete(
                        user("create a file hello.txt with hi"),
                        ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"read_file\"}}]")
                .path("choices")
                .path(0)
                .path("message");

        assertThat(message.has("tool_calls"), is(false));
        assertThat(
                message.path("content").asText(),
                is("Fake model (not a real LLM) received: create a file hello.txt with hi"));
    }

    @Test
    void toolResultGetsASummaryAndAttemptCompletion() {
        String messages = """
                [{"role":"user","content":"create a file hello.txt with hi"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                   "function":{"name":"write_file","arguments":"{\\"path\\":\\"hello.txt\\",\
                \\"content\\":\\"hi\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"Wrote 2 bytes to hello.txt"}]""";

        JsonNode choice =
                complete(messages, ",\"tools\":" + TOOLS).path("choices").path(0);

        assertThat(
                choice.path("message").path("content").asText(),
                is("Done: write_file returned Wrote 2 bytes to hello.txt"));
        JsonNode call = choice.path("message").path("tool_calls").path(0);
        assertThat(call.path("function").path("name").asText(), is("attempt_completion"));
        assertThat(
                json(call.path("function").path("arguments").asText()),
                is(json("{\"result\":\"Done: write_file returned Wrote 2 bytes to hello.txt\"}")));
        assertThat(choice.path("finish_reason").asText(), is("tool_calls"));
    }

    @Test
    void toolResultWithoutAttemptCompletionOfferedIsJustTheSummary() {
        String messages = """
                [{"role":"user","content":"show a.txt"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function",
                   "function":{"name":"read_file","arguments":"{\\"path\\":\\"a.txt\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_9","content":"hello"}]""";

        JsonNode choice = complete(messages, "").path("choices").path(0);

        assertThat(choice.path("message").path("content").asText(), is("Done: read_file returned hello"));
        assertThat(choice.path("message").has("tool_calls"), is(false));
        assertThat(choice.path("finish_reason").asText(), is("stop"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Please implement a login form | coder | high",
                "Design the architecture for a chat app | architect | high",
                "Why does the app crash on start? | debug | high",
                "Explain what a monad is | ask | high",
                "Hello there | coder | low"
            })
    void jsonObjectRequestsGetTheClassification(String text, String agent, String confidence) {
        JsonNode body = complete(user(text), ",\"response_format\":{\"type\":\"json_object\"}");

        JsonNode answer = json(
                body.path("choices").path(0).path("message").path("content").asText());
        assertThat(answer.path("agent").asText(), is(agent));
        assertThat(answer.path("confidence").asText(), is(confidence));
        assertThat(answer.path("reasoning").asText().isEmpty(), is(false));
        assertThat(body.path("choices").path(0).path("finish_reason").asText(), is("stop"));
    }

    @Test
    void otherwiseItEchoesTheRequestInAFewWords() {
        JsonNode body =
                complete(user("tell me a story about a dragon who learns to fly over the sea and the mountains"), "");

        assertThat(
                body.path("choices").path(0).path("message").path("content").asText(),
                is("Fake model (not a real LLM) received: tell me a story about a dragon who learns to fly over ..."));
    }

    @Test
    void streamsWordByWordAndThenTheToolCall() {
        List<String> data =
                proxy.streamData("{\"model\":\"fake\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":" + user("run npm test") + ",\"tools\":" + TOOLS + "}");

        List<String> deltas = new ArrayList<>();
        for (String d : data.subList(0, data.size() - 1)) {
            deltas.add(OllamaProviderTest.summary(json(d)));
        }
        assertThat(data.getLast(), is("[DONE]"));
        assertThat(deltas.size(), is(5));
        assertThat(deltas.get(0), is("{\"role\":\"assistant\",\"content\":\"\"} null"));
        assertThat(deltas.get(1), containsString("\"name\":\"execute_command\",\"arguments\":\"\""));
        assertThat(deltas.get(2), is("""
                                {"tool_calls":[{"index":0,"function":{"arguments":"{\\"command\\":\\"npm test\\"}"}}]\
                                } null"""));
        assertThat(deltas.get(3), is("{} \"tool_calls\""));
        assertThat(deltas.get(4).startsWith("usage {\"prompt_tokens\":"), is(true));
    }

    @Test
    void textStreamsOneWordPerChunk() {
        List<String> data =
                proxy.streamData("{\"model\":\"fake\",\"stream\":true,\"messages\":" + user("good morning") + "}");

        List<String> words = data.subList(1, data.size() - 2).stream()
                .map(d -> json(d).path("choices")
                        .path(0)
                        .path("delta")
                        .path("content")
                        .asText())
                .toList();
        assertThat(
                words, contains("Fake ", "model ", "(not ", "a ", "real ", "LLM) ", "received: ", "good ", "morning"));
    }
}
