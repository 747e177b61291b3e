package dev.codelab.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * A scriptable stand-in for the LLM proxy that speaks the OpenAI chat-completions wire format: streamed chunks
 * (text deltas, tool-call deltas by index with id/name/argument fragments, finish_reason, a usage chunk,
 * {@code data: [DONE]}) and non-streaming JSON answers for {@code response_format: json_object} requests.
 * Streaming and classification requests take their replies from separate queues; an unscripted request gets 500.
 */
final class FakeOpenAi implements AutoCloseable {

    private final HttpServer server;
    private final ConcurrentLinkedDeque<Reply> streamReplies = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<Reply> classifyReplies = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<Reply> summaryReplies = new ConcurrentLinkedDeque<>();
    private final List<JsonNode> summaryRequests = new CopyOnWriteArrayList<>();
    private volatile String models = modelList(32_768, 4_096);
    private volatile ToIntFunction<JsonNode> promptTokens = request -> 11;
    private final List<JsonNode> streamRequests = new CopyOnWriteArrayList<>();
    private final List<JsonNode> classifyRequests = new CopyOnWriteArrayList<>();
    private final List<String> authHeaders = new CopyOnWriteArrayList<>();
    private final List<Long> streamRequestNanos = new CopyOnWriteArrayList<>();
    private final List<Integer> streamRequestPorts = new CopyOnWriteArrayList<>();
    private final List<String> streamBodies = new CopyOnWriteArrayList<>();
    private final List<String> callTags = new CopyOnWriteArrayList<>();
    private final List<String> budgetQueries = new CopyOnWriteArrayList<>();
    private static final String BUDGET_OK =
            "{\"state\":\"ok\",\"limit\":null,\"message\":null,\"resets_at\":null,\"first_warning\":false}";
    private volatile String budgetStatus = BUDGET_OK;
    private volatile CountDownLatch streamRequested = new CountDownLatch(1);

    FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.createContext("/health", exchange -> respond(exchange, 200, "{\"status\":\"healthy\"}"));
        server.createContext("/v1/models", exchange -> respond(exchange, 200, models));
        server.createContext("/v1/budget/status", exchange -> {
            budgetQueries.add(exchange.getRequestURI().getQuery());
            respond(exchange, 200, budgetStatus);
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Nothing scripted, nothing recorded: as new, on the same port (between the tests of a class). */
    void reset() {
        streamReplies.clear();
        classifyReplies.clear();
        summaryReplies.clear();
        summaryRequests.clear();
        models = modelList(32_768, 4_096);
        promptTokens = request -> 11;
        streamRequests.clear();
        classifyRequests.clear();
        authHeaders.clear();
        streamRequestNanos.clear();
        streamRequestPorts.clear();
        streamBodies.clear();
        callTags.clear();
        budgetQueries.clear();
        budgetStatus = BUDGET_OK;
        streamRequested = new CountDownLatch(1);
    }

    /** Queues replies for the next streamed completions, in order. */
    FakeOpenAi stream(Reply... replies) {
        streamReplies.addAll(List.of(replies));
        return this;
    }

    /** Queues replies for the next routing (json_object) calls; unscripted ones route to coder. */
    FakeOpenAi classify(Reply... replies) {
        classifyReplies.addAll(List.of(replies));
        return this;
    }

    /** Queues replies for the next non-streaming calls without {@code response_format} (context summaries). */
    FakeOpenAi summarise(Reply... replies) {
        summaryReplies.addAll(List.of(replies));
        return this;
    }

    /** What {@code /v1/models} reports for the one model {@code fake}, the proxy's default. */
    FakeOpenAi window(int contextWindow, int maxOutputTokens) {
        models = modelList(contextWindow, maxOutputTokens);
        return this;
    }

    /** What the streams' usage chunk reports as {@code prompt_tokens} for a request (default 11). */
    FakeOpenAi reportPromptTokens(ToIntFunction<JsonNode> count) {
        promptTokens = count;
        return this;
    }

    private static String modelList(int contextWindow, int maxOutputTokens) {
        return "{\"object\":\"list\",\"data\":[{\"id\":\"fake\",\"object\":\"model\",\"created\":1,"
                + "\"owned_by\":\"fake\",\"context_window\":" + contextWindow + ",\"max_output_tokens\":"
                + maxOutputTokens + "}],\"default_model\":\"fake\"}";
    }

    List<JsonNode> summaryRequests() {
        return summaryRequests;
    }

    List<JsonNode> streamRequests() {
        return streamRequests;
    }

    List<JsonNode> classifyRequests() {
        return classifyRequests;
    }

    /** When each streamed request arrived ({@link System#nanoTime()}). */
    List<Long> streamRequestNanos() {
        return streamRequestNanos;
    }

    /** The client port of each streamed request: which connection it came on. */
    List<Integer> streamRequestPorts() {
        return streamRequestPorts;
    }

    /** The raw bodies of the streamed requests, as sent. */
    List<String> streamBodies() {
        return streamBodies;
    }

    /** {@code X-User-Id X-Session-Id X-Agent-Name} of every chat request, in order. */
    List<String> callTags() {
        return callTags;
    }

    /** The query of every budget check ({@code user=...}). */
    List<String> budgetQueries() {
        return budgetQueries;
    }

    /** What the budget check answers from now on (the LLM proxy's {@code /v1/budget/status} body). */
    void budgetStatus(String json) {
        budgetStatus = json;
    }

    List<String> authHeaders() {
        return authHeaders;
    }

    /** Waits until the next streamed request arrives. */
    void awaitStreamRequest() throws InterruptedException {
        if (!streamRequested.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no streamed LLM request arrived");
        }
        streamRequested = new CountDownLatch(1);
    }

    /** Waits until {@code count} streamed requests have arrived in all. */
    void awaitStreamRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (streamRequests.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(streamRequests.size() + " of " + count + " streamed LLM requests arrived");
            }
            Thread.sleep(10);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode request = Json.read(raw);
        authHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Internal-Auth")));
        callTags.add(exchange.getRequestHeaders().getFirst("X-User-Id") + " "
                + exchange.getRequestHeaders().getFirst("X-Session-Id") + " "
                + exchange.getRequestHeaders().getFirst("X-Agent-Name"));
        boolean classification =
                request.path("response_format").path("type").asText().equals("json_object");
        Reply reply;
        if (!classification && !request.path("stream").asBoolean(false)) {
            summaryRequests.add(request);
            reply = summaryReplies.poll();
            if (reply == null) {
                respond(exchange, 500, "{\"error\":{\"message\":\"no scripted summary\"}}");
                return;
            }
        } else if (classification) {
            classifyRequests.add(request);
            reply = classifyReplies.poll();
            if (reply == null) {
                reply = Reply.route("coder", "high", "The user wants code");
            }
        } else {
            streamRequests.add(request);
            streamBodies.add(raw);
            streamRequestNanos.add(System.nanoTime());
            streamRequestPorts.add(exchange.getRemoteAddress().getPort());
            streamRequested.countDown();
            reply = streamReplies.poll();
            if (reply == null) {
                respond(exchange, 500, "{\"error\":{\"message\":\"no scripted reply\"}}");
                return;
            }
        }
        if (reply instanceof Streamed streamed) {
            reply = streamed.reporting(promptTokens.applyAsInt(request));
        }
        reply.send(exchange);
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** One scripted answer. */
    interface Reply {

        void send(HttpExchange exchange) throws IOException;

        /** A streamed text answer, one delta per token. */
        static Reply text(String... tokens) {
            return new Streamed(List.of(tokens), List.of(), Ending.DONE, null);
        }

        /** A streamed answer with optional text and one tool call whose arguments arrive in fragments. */
        static Reply tool(String text, String callId, String name, String argumentsJson) {
            return new Streamed(
                    text.isEmpty() ? List.of() : List.of(text),
                    List.of(new Call(callId, name, argumentsJson)),
                    Ending.DONE,
                    null);
        }

        static Reply tools(Call... calls) {
            return new Streamed(List.of(), List.of(calls), Ending.DONE, null);
        }

        /** Streams the tokens, then breaks the connection without {@code [DONE]}. */
        static Reply textThenBreak(String... tokens) {
            return new Streamed(List.of(tokens), List.of(), Ending.BREAK, null);
        }

        /** Streams the tokens, then stays silent until {@code release} opens (or 30 s pass), then finishes. */
        static Reply textThenWait(CountDownLatch release, String... tokens) {
            return new Streamed(List.of(tokens), List.of(), Ending.DONE, release);
        }

        /** Stays silent for {@code millis} before the first chunk. */
        static Reply delayed(long millis, String... tokens) {
            CountDownLatch never = new CountDownLatch(1);
            return exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try {
                    never.await(millis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                try (OutputStream out = exchange.getResponseBody()) {
                    Streamed.write(out, List.of(tokens), List.of(), 11);
                }
            };
        }

        /** Answers nothing at all (not even headers) until {@code release} opens or 30 s pass. */
        static Reply silentUntil(CountDownLatch release) {
            return exchange -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                try {
                    respond(exchange, 500, "{}");
                } catch (IOException ignored) {
                    // the client has gone
                }
            };
        }

        static Reply status(int status) {
            return exchange -> respond(exchange, status, "{\"error\":{\"message\":\"scripted failure\"}}");
        }

        /** The LLM proxy's refusal of a user over a hard budget limit. */
        static Reply budgetExceeded(String message) {
            return exchange -> respond(
                    exchange,
                    429,
                    "{\"error\":{\"message\":\"" + message
                            + "\",\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}");
        }

        static Reply tooManyRequests(int retryAfterSeconds) {
            return exchange -> {
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(retryAfterSeconds));
                respond(exchange, 429, "{\"error\":{\"message\":\"slow down\"}}");
            };
        }

        /** A non-streaming chat completion whose message content is {@code content}. */
        static Reply content(String content) {
            return exchange -> {
                ObjectNode body = Json.MAPPER.createObjectNode();
                body.put("id", "chatcmpl-fake").put("object", "chat.completion").put("model", "fake");
                ObjectNode choice = body.putArray("choices").addObject();
                choice.put("index", 0).put("finish_reason", "stop");
                choice.putObject("message").put("role", "assistant").put("content", content);
                respond(exchange, 200, Json.write(body));
            };
        }

        static Reply route(String agent, String confidence, String reasoning) {
            ObjectNode answer = Json.MAPPER.createObjectNode();
            answer.put("agent", agent).put("confidence", confidence).put("reasoning", reasoning);
            return content(Json.write(answer));
        }
    }

    record Call(String id, String name, String argumentsJson) {}

    private enum Ending {
        DONE,
        BREAK
    }

    private record Streamed(
            List<String> tokens, List<Call> calls, Ending ending, CountDownLatch waitBeforeEnd, int promptTokens)
            implements Reply {

        Streamed(List<String> tokens, List<Call> calls, Ending ending, CountDownLatch waitBeforeEnd) {
            this(tokens, calls, ending, waitBeforeEnd, 11);
        }

        Streamed reporting(int prompt) {
            return new Streamed(tokens, calls, ending, waitBeforeEnd, prompt);
        }

        @Override
        public void send(HttpExchange exchange) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            try {
                if (ending == Ending.BREAK) {
                    for (String token : tokens) {
                        chunk(out, delta().put("content", token), null);
                    }
                    return;
                }
                if (waitBeforeEnd != null) {
                    for (String token : tokens) {
                        chunk(out, delta().put("content", token), null);
                    }
                    try {
                        waitBeforeEnd.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    finish(out, List.of(), promptTokens);
                    return;
                }
                write(out, tokens, calls, promptTokens);
            } catch (IOException ignored) {
                // the client went away (cancel tests)
            } finally {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }

        static void write(OutputStream out, List<String> tokens, List<Call> calls, int promptTokens)
                throws IOException {
            chunk(out, delta().put("role", "assistant"), null);
            for (String token : tokens) {
                chunk(out, delta().put("content", token), null);
            }
            for (int i = 0; i < calls.size(); i++) {
                Call call = calls.get(i);
                ObjectNode head = delta();
                ObjectNode first = head.putArray("tool_calls").addObject();
                first.put("index", i).put("id", call.id()).put("type", "function");
                first.putObject("function").put("name", call.name()).put("arguments", "");
                chunk(out, head, null);
                String args = call.argumentsJson();
                int third = Math.max(1, args.length() / 3);
                for (int from = 0; from < args.length(); from += third) {
                    ObjectNode piece = delta();
                    ObjectNode fragment = piece.putArray("tool_calls").addObject();
                    fragment.put("index", i);
                    fragment.putObject("function")
                            .put("arguments", args.substring(from, Math.min(args.length(), from + third)));
                    chunk(out, piece, null);
                }
            }
            finish(out, calls, promptTokens);
        }

        private static void finish(OutputStream out, List<Call> calls, int promptTokens) throws IOException {
            chunk(out, delta(), calls.isEmpty() ? "stop" : "tool_calls");
            ObjectNode usage = Json.MAPPER.createObjectNode();
            usage.put("id", "chatcmpl-fake")
                    .put("object", "chat.completion.chunk")
                    .put("model", "fake");
            usage.putArray("choices");
            usage.putObject("usage")
                    .put("prompt_tokens", promptTokens)
                    .put("completion_tokens", 7)
                    .put("total_tokens", promptTokens + 7);
            line(out, Json.write(usage));
            line(out, "[DONE]");
        }

        private static ObjectNode delta() {
            return Json.MAPPER.createObjectNode();
        }

        private static void chunk(OutputStream out, ObjectNode delta, String finishReason) throws IOException {
            ObjectNode chunk = Json.MAPPER.createObjectNode();
            chunk.put("id", "chatcmpl-fake")
                    .put("object", "chat.completion.chunk")
                    .put("created", 1)
                    .put("model", "fake");
            ArrayNode choices = chunk.putArray("choices");
            ObjectNode choice = choices.addObject();
            choice.put("index", 0);
            choice.set("delta", delta);
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
            line(out, Json.write(chunk));
        }

        private static void line(OutputStream out, String data) throws IOException {
            out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    static List<String> roles(JsonNode request) {
        List<String> roles = new ArrayList<>();
        request.path("messages").forEach(m -> roles.add(m.path("role").asText()));
        return roles;
    }
}
