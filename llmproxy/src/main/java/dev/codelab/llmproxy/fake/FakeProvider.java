package dev.codelab.llmproxy.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.codelab.llmproxy.provider.ChatCompletion;
import dev.codelab.llmproxy.provider.ChunkSink;
import dev.codelab.llmproxy.provider.MessageContent;
import dev.codelab.llmproxy.provider.OpenAiShapes;
import dev.codelab.llmproxy.provider.Provider;
import dev.codelab.llmproxy.provider.ProviderRequest;
import dev.codelab.llmproxy.provider.Usage;
import dev.codelab.shared.http.Json;
import java.time.Duration;

/**
 * The {@code fake} provider: answers by {@link FakeRules}, streams word by word with a fixed delay, and reports
 * usage estimated at four characters per token. Not a language model. In the dev stack it also stands in for
 * aliases whose provider key is missing ({@code LLM_PROXY__KEYLESS_MODELS=fake}).
 */
public final class FakeProvider implements Provider {

    private final FakeModel model;
    private final Duration delay;

    public FakeProvider(FakeRules rules, Duration delay) {
        this.model = new FakeModel(rules);
        this.delay = delay;
    }

    @Override
    public ChatCompletion complete(ProviderRequest request) {
        FakeReply reply = model.reply(request.body());
        ArrayNode toolCalls = Json.MAPPER.createArrayNode();
        reply.toolCall()
                .ifPresent(call -> toolCalls.add(
                        OpenAiShapes.toolCall(OpenAiShapes.newCallId(), call.name(), Json.write(call.arguments()))));
        String content = reply.text().isEmpty() && !toolCalls.isEmpty() ? null : reply.text();
        return ChatCompletion.of(
                shapes(request).completion(content, toolCalls, finishReason(reply), usage(request, reply)));
    }

    @Override
    public void stream(ProviderRequest request, ChunkSink sink) {
        FakeReply reply = model.reply(request.body());
        OpenAiShapes shapes = shapes(request);
        sink.chunk(shapes.roleChunk());
        for (String word : reply.text().split("(?<= )")) {
            if (!word.isEmpty()) {
                pause();
                sink.chunk(shapes.contentChunk(word));
            }
        }
        if (reply.toolCall().isPresent()) {
            FakeReply.ToolCall call = reply.toolCall().get();
            pause();
            sink.chunk(shapes.toolCallStartChunk(0, OpenAiShapes.newCallId(), call.name(), ""));
            pause();
            sink.chunk(shapes.toolCallArgumentsChunk(0, Json.write(call.arguments())));
        }
        sink.chunk(shapes.finishChunk(finishReason(reply)));
        sink.chunk(shapes.usageChunk(usage(request, reply)));
    }

    /**
     * Standing in for a keyless alias (the dev stack), every object says so: {@code model} is {@code fake:<alias>}
     * and {@code system_fingerprint} names the missing variable.
     */
    private static OpenAiShapes shapes(ProviderRequest request) {
        String model = request.body().path("model").asText(request.deployment().model());
        return request.deployment()
                .standsInFor()
                .map(missing -> new OpenAiShapes(
                        "fake:" + model,
                        "fake-stand-in: " + missing + " is not set, so the fake model answered for " + model))
                .orElseGet(() -> new OpenAiShapes(model));
    }

    private static String finishReason(FakeReply reply) {
        return reply.toolCall().isPresent() ? "tool_calls" : "stop";
    }

    private static Usage usage(ProviderRequest request, FakeReply reply) {
        long promptChars = 0;
        for (JsonNode message : request.body().path("messages")) {
            promptChars += MessageContent.text(message.path("content")).length();
        }
        long completionChars = reply.text().length()
                + reply.toolCall().map(c -> Json.write(c.arguments()).length()).orElse(0);
        return new Usage(tokens(promptChars), tokens(completionChars));
    }

    private static long tokens(long chars) {
        return Math.max(1, (chars + 3) / 4);
    }

    private void pause() {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Fake stream interrupted", e);
        }
    }
}
