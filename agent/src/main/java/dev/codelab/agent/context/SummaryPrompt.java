package dev.codelab.agent.context;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The request that asks a model for a summary: the instructions of {@code context/summary-prompt.md} as the system
 * message, and one user message with the previous summary (when there is one) and the transcript of what follows it.
 */
public final class SummaryPrompt {

    static final String RESOURCE = "context/summary-prompt.md";
    /** The summary asked for, in words, from its budget in tokens (about 0.75 words a token, with room to spare). */
    private static final double WORDS_PER_TOKEN = 0.6;

    private final String instructions;

    private SummaryPrompt(String instructions) {
        this.instructions = instructions;
    }

    public static SummaryPrompt load() {
        try (InputStream in = SummaryPrompt.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + RESOURCE);
            }
            return new SummaryPrompt(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The instructions, without their input. */
    public String instructions(int summaryTokens) {
        return instructions.replace("{{max_words}}", String.valueOf((int) (summaryTokens * WORDS_PER_TOKEN)));
    }

    /** The {@code messages} of the summarising call. */
    public ArrayNode messages(Optional<String> previousSummary, String transcript, int summaryTokens) {
        StringBuilder input = new StringBuilder();
        previousSummary.ifPresent(previous ->
                input.append("<previous_summary>\n").append(previous).append("\n</previous_summary>\n\n"));
        input.append("<conversation>\n")
                .append(transcript)
                .append("\n</conversation>\n\n")
                .append(
                        previousSummary.isPresent()
                                ? "Write one summary that replaces the previous summary and the conversation above."
                                : "Write the summary of the conversation above.");
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.addObject().put("role", "system").put("content", instructions(summaryTokens));
        messages.addObject().put("role", "user").put("content", input.toString());
        return messages;
    }
}
