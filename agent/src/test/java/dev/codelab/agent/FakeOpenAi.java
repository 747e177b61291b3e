package dev.codelab.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.fakellm.FakeLlm;
import dev.codelab.shared.fakellm.OpenAiWire;
import dev.codelab.shared.fakellm.Recorded;
import dev.codelab.shared.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The LLM proxy as the agent runtime sees it, on the shared {@link FakeLlm} and {@link OpenAiWire}: streamed
 * chat completions (text deltas, tool-call deltas by index with id/name/argument fragments, finish_reason, a usage
 * chunk, {@code data: [DONE]}), non-streaming JSON answers for {@code response_format: json_object} requests, and
 * what only llmproxy adds to the provider API ({@code /v1/models} with the context window, {@code /v1/budget/status},
 * {@code /health}). Streaming, classification and summary requests take their replies from separate queues, because
 * one turn makes all three kinds of call; an unscripted stream or summary gets 500.
 */
final class FakeOpenAi implements AutoCloseable {

    private static final String MODEL = "fake";
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
    private static final String BUDGET_OK = """
            {"state":"ok","limit":null,"message":null,"resets_at":null,"first_warning":false}""";
    private volatile String budgetStatus = BUDGET_OK;
    private volatile CountDownLatch streamRequested = new CountDownLatch(1);
    private final FakeLlm server = FakeLlm.start(this::answer);

    String url() {
        return server.baseUrl();
    }

    /** Nothing scripted, nothing recorded: as new, on the same port (between the tests of a class). */
    void reset() {
        server.reset();
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

    private dev.codelab.shared.fakellm.Reply answer(Recorded call) {
        return switch (call.path()) {
            case "/health" -> dev.codelab.shared.fakellm.Reply.json(200, """
                    {"status":"healthy"}""");
            case "/v1/models" -> dev.codelab.shared.fakellm.Reply.json(200, models);
            case "/v1/budget/status" -> {
                budgetQueries.add(call.query());
                yield dev.codelab.shared.fakellm.Reply.json(200, budgetStatus);
            }
            case "/v1/chat/completions" -> chat(call);
            default -> dev.codelab.shared.fakellm.Reply.json(404, """
                    {"error":{"message":"not found"}}""");
        };
    }

    private dev.codelab.shared.fakellm.Reply chat(Recorded call) {
        JsonNode request = call.json();
        authHeaders.add(String.valueOf(call.headers().get("x-internal-auth")));
        callTags.add(call.headers().get("x-user-id") + " "
                + call.headers().get("x-session-id") + " "
                + call.headers().get("x-agent-name"));
        boolean classification =
                request.path("response_format").path("type").asText().equals("json_object");
        Reply reply;
        if (!classification && !request.path("stream").asBoolean(false)) {
            summaryRequests.add(request);
            reply = summaryReplies.poll();
            if (reply == null) {
                return failure(500, "no scripted summary");
            }
        } else if (classification) {
            classifyRequests.add(request);
            reply = classifyReplies.poll();
            if (reply == null) {
                reply = Reply.route("coder", "high", "The user wants code");
            }
        } else {
            streamRequests.add(request);
            streamBodies.add(call.body());
            streamRequestNanos.add(call.arrivedNanos());
            streamRequestPorts.add(call.clientPort());
            streamRequested.countDown();
            reply = streamReplies.poll();
            if (reply == null) {
                return failure(500, "no scripted reply");
            }
        }
        return reply.wire(promptTokens.applyAsInt(request));
    }

    private static dev.codelab.shared.fakellm.Reply failure(int status, String message) {
        return dev.codelab.shared.fakellm.Reply.json(
                status, "{\"error\":{\"message\":" + OpenAiWire.quoted(message) + "}}");
    }

    @Override
    public void close() {
        server.close();
    }

    /** One scripted answer, put on the wire when its request came ({@code promptTokens} for the usage chunk). */
    interface Reply {

        dev.codelab.shared.fakellm.Reply wire(int promptTokens);

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

        /** Sends the status and headers, then stays silent for {@code millis} before the first chunk. */
        static Reply delayed(long millis, String... tokens) {
            return prompt -> dev.codelab.shared.fakellm.Reply.streamed(out -> {
                out.flush();
                Thread.sleep(millis);
                for (String chunk : Streamed.chunks(List.of(tokens), List.of(), prompt)) {
                    out.write(OpenAiWire.event(chunk));
                    out.flush();
                }
            });
        }

        /** Answers nothing at all (not even headers) until {@code release} opens or 30 s pass. */
        static Reply silentUntil(CountDownLatch release) {
            return prompt -> dev.codelab.shared.fakellm.Reply.json(500, "{}").heldUntil(release);
        }

        static Reply status(int status) {
            return prompt -> failure(status, "scripted failure");
        }

        /** The LLM proxy's refusal of a user over a hard budget limit. */
        static Reply budgetExceeded(String message) {
            return prompt -> dev.codelab.shared.fakellm.Reply.json(
                    429,
                    "{\"error\":{\"message\":" + OpenAiWire.quoted(message)
                            + ",\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}");
        }

        static Reply tooManyRequests(int retryAfterSeconds) {
            return prompt -> failure(429, "slow down").withHeader("Retry-After", String.valueOf(retryAfterSeconds));
        }

        /** A non-streaming chat completion whose message content is {@code content} (no usage, as before). */
        static Reply content(String content) {
            return prompt -> dev.codelab.shared.fakellm.Reply.json(200, OpenAiWire.completion(MODEL, content));
        }

        static Reply route(String agent, String confidence, String reasoning) {
            return content(Json.write(Json.MAPPER
                    .createObjectNode()
                    .put("agent", agent)
                    .put("confidence", confidence)
                    .put("reasoning", reasoning)));
        }
    }

    record Call(String id, String name, String argumentsJson) {}

    private enum Ending {
        DONE,
        BREAK
    }

    private record Streamed(List<String> tokens, List<Call> calls, Ending ending, CountDownLatch waitBeforeEnd)
            implements Reply {

        @Override
        public dev.codelab.shared.fakellm.Reply wire(int promptTokens) {
            List<String> contents = tokens.stream()
                    .map(token -> OpenAiWire.chunk(MODEL, OpenAiWire.contentDelta(token), null))
                    .toList();
            if (ending == Ending.BREAK) {
                return dev.codelab.shared.fakellm.Reply.openAiStream(contents.toArray(String[]::new));
            }
            if (waitBeforeEnd != null) {
                return dev.codelab.shared.fakellm.Reply.streamed(out -> {
                    for (String chunk : contents) {
                        out.write(OpenAiWire.event(chunk));
                        out.flush();
                    }
                    waitBeforeEnd.await(30, TimeUnit.SECONDS);
                    for (String chunk : finish(List.of(), promptTokens)) {
                        out.write(OpenAiWire.event(chunk));
                    }
                });
            }
            return dev.codelab.shared.fakellm.Reply.openAiStream(
                    chunks(tokens, calls, promptTokens).toArray(String[]::new));
        }

        /** A whole answer: the role, a delta per token, each tool call in about three fragments, the end. */
        static List<String> chunks(List<String> tokens, List<Call> calls, int promptTokens) {
            List<String> chunks = new ArrayList<>();
            chunks.add(OpenAiWire.chunk(MODEL, OpenAiWire.roleDelta(), null));
            for (String token : tokens) {
                chunks.add(OpenAiWire.chunk(MODEL, OpenAiWire.contentDelta(token), null));
            }
            for (int i = 0; i < calls.size(); i++) {
                Call call = calls.get(i);
                chunks.add(OpenAiWire.chunk(MODEL, OpenAiWire.toolCallDelta(i, call.id(), call.name(), ""), null));
                String args = call.argumentsJson();
                int third = Math.max(1, args.length() / 3);
                for (int from = 0; from < args.length(); from += third) {
                    String fragment = args.substring(from, Math.min(args.length(), from + third));
                    chunks.add(OpenAiWire.chunk(MODEL, OpenAiWire.argumentsDelta(i, fragment), null));
                }
            }
            chunks.addAll(finish(calls, promptTokens));
            return chunks;
        }

        private static List<String> finish(List<Call> calls, int promptTokens) {
            return List.of(
                    OpenAiWire.chunk(MODEL, "{}", calls.isEmpty() ? "stop" : "tool_calls"),
                    OpenAiWire.usageChunk(MODEL, promptTokens, 7),
                    OpenAiWire.DONE);
        }
    }

    static List<String> roles(JsonNode request) {
        List<String> roles = new ArrayList<>();
        request.path("messages").forEach(m -> roles.add(m.path("role").asText()));
        return roles;
    }
}
