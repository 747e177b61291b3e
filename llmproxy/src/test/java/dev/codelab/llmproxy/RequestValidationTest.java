package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad requests get OpenAI errors with 400, 401, 404 or 413, never a 500. */
class RequestValidationTest extends LlmProxyServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, null, Map.of("llm-proxy.max-body-bytes", "2048"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not json | {"model": | invalid_json |
            array body | [1,2] | invalid_json |
            missing messages | {"model":"fake"} | invalid_request | messages
            empty messages | {"model":"fake","messages":[]} | invalid_request | messages
            messages not an array | {"model":"fake","messages":{}} | invalid_request | messages
            model is a number | {"model":42,"messages":[{"role":"user","content":"x"}]} | invalid_request | model
            message without role | {"messages":[{}]} | invalid_request | messages[0].role
            message is a string | {"messages":["hi"]} | invalid_request | messages[0]
            unknown role | {"messages":[{"role":"robot","content":"x"}]} | invalid_request | messages[0].role
            content is a number | {"messages":[{"role":"user","content":5}]} | invalid_request | messages[0].content
            tool message without id | {"messages":[{"role":"tool","content":"x"}]} | \
            invalid_request | messages[0].tool_call_id
            stream is a string | {"messages":[{"role":"user","content":"x"}],"stream":"yes"} | invalid_request | stream
            temperature too hot | {"messages":[{"role":"user","content":"x"}],"temperature":7} | \
            invalid_request | temperature
            max_tokens fraction | {"messages":[{"role":"user","content":"x"}],"max_tokens":1.5} | \
            invalid_request | max_tokens
            stop list of numbers | {"messages":[{"role":"user","content":"x"}],"stop":[1]} | invalid_request | stop
            tools not functions | {"messages":[{"role":"user","content":"x"}],"tools":[{"type":"web"}]} | \
            invalid_request | tools
            bad tool_choice | {"messages":[{"role":"user","content":"x"}],"tool_choice":"always"} | \
            invalid_request | tool_choice
            bad response_format | {"messages":[{"role":"user","content":"x"}],"response_format":{"type":"xml"}} | \
            invalid_request | response_format
            several choices | {"messages":[{"role":"user","content":"x"}],"n":3} | invalid_request | n
            """)
    void badBodiesGet400(String name, String body, String code, String param) {
        HttpResponse<String> response = proxy.post("/v1/chat/completions", body);

        assertThat(response.statusCode(), is(400));
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("type").asText(), is("invalid_request_error"));
        assertThat(error.path("code").asText(), is(code));
        assertThat(error.path("param").isNull() ? null : error.path("param").asText(), is(param));
        assertThat(error.path("message").asText().isEmpty(), is(false));
    }

    @Test
    void hugeBodyGets413() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(5000) + "\"}]}";

        HttpResponse<String> response = proxy.post("/v1/chat/completions", body);

        assertThat(response.statusCode(), is(413));
        assertThat(json(response.body()).path("error").path("code").asText(), is("request_too_large"));
    }

    @Test
    void unknownModelGets404ModelNotFound() {
        HttpResponse<String> response = proxy.post(
                "/v1/chat/completions", "{\"model\":\"gpt-7\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(response.statusCode(), is(404));
        assertThat(json(response.body()), is(json("""
                {"error":{"message":"The model `gpt-7` does not exist","type":"invalid_request_error","param":"model",\
                "code":"model_not_found"}}""")));
    }

    @Test
    void missingModelUsesTheDefault() {
        HttpResponse<String> response =
                proxy.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(response.statusCode(), is(200));
        assertThat(json(response.body()).path("model").asText(), is("fake"));
    }

    @Test
    void missingInternalKeyGets401EvenForAStream() {
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                .build());

        assertThat(response.statusCode(), is(401));
        assertThat(json(response.body()).path("error").path("code").asText(), is("invalid_api_key"));
    }

    @Test
    void wrongInternalKeyGets401() {
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/v1/models"))
                .header("X-Internal-Auth", "wrong")
                .GET()
                .build());

        assertThat(response.statusCode(), is(401));
        assertThat(json(response.body()).path("error").path("type").asText(), is("authentication_error"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "GET /ready",
        "GET /v1/models",
        "GET /v1/llm/models",
        "POST /v1/chat/completions",
        "GET /observe",
        "GET /observe/health",
        "GET /observe/metrics",
        "GET /observe/info",
        "GET /observe/config",
        "GET /metrics",
        "GET /no/such/path",
        "OPTIONS /v1/models",
        "GET /health/x"
    })
    void everyPathButHealthGets401WithoutTheKeyObserveEndpointsAndUnknownPathsIncluded(String route) {
        String[] methodAndPath = route.split(" ");
        for (String key : new String[] {null, "wrong", ""}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(methodAndPath[1]))
                    .method(methodAndPath[0], HttpRequest.BodyPublishers.ofString("{}"));
            if (key != null) {
                request.header("X-Internal-Auth", key);
            }
            HttpResponse<String> response = proxy.send(request.build());

            assertThat(route + " with key " + key, response.statusCode(), is(401));
            assertThat(json(response.body()), is(json("""
                    {"error":{"message":"Missing or invalid X-Internal-Auth key","type":"authentication_error",\
                    "param":null,"code":"invalid_api_key"}}""")));
        }
    }

    @Test
    void healthNeedsNoKey() {
        HttpResponse<String> response =
                proxy.send(HttpRequest.newBuilder(proxy.uri("/health")).GET().build());

        assertThat(response.statusCode(), is(200));
        assertThat(json(response.body()).path("status").asText(), is("healthy"));
        assertThat(json(response.body()).path("service").asText(), is("llm-proxy"));
    }
}
