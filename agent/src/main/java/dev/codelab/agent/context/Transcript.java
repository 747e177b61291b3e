package dev.codelab.agent.context;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.store.MessageStatus;
import dev.codelab.agent.store.MessageStore.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a conversation a summary replaces, as plain text for the summarising model: one block per message,
 * long tool results and arguments cut to their head. When the text would still be longer than the summarising call
 * may send, results are cut shorter, and then the oldest blocks go (the previous summary, which holds them, stays).
 */
final class Transcript {

    private static final int FIRST_CUT_CHARS = 4_000;
    private static final int LAST_CUT_CHARS = 250;

    private Transcript() {}

    /** The transcript in at most {@code maxChars} characters (a single block may exceed it). */
    static String of(List<Message> messages, int maxChars) {
        for (int halving = FIRST_CUT_CHARS; ; halving /= 2) {
            int cut = Math.max(halving, LAST_CUT_CHARS);
            List<String> blocks = messages.stream().map(m -> block(m, cut)).toList();
            int length = blocks.stream().mapToInt(String::length).sum();
            if (length <= maxChars || cut <= LAST_CUT_CHARS) {
                return dropOldest(blocks, maxChars);
            }
        }
    }

    private static String dropOldest(List<String> blocks, int maxChars) {
        List<String> kept = new ArrayList<>(blocks);
        int length = kept.stream().mapToInt(String::length).sum();
        int dropped = 0;
        while (length > maxChars && kept.size() > 1) {
            length -= kept.removeFirst().length();
            dropped++;
        }
        String text = String.join("\n\n", kept);
        return dropped == 0 ? text : "[" + dropped + " older messages left out for length]\n\n" + text;
    }

    private static String block(Message message, int cut) {
        String content = message.content() == null ? "" : message.content();
        return switch (message.role()) {
            case "user" -> "USER:\n" + content;
            case "tool" -> "TOOL RESULT (" + message.toolCallId() + "):\n" + head(content, cut);
            default -> {
                StringBuilder text = new StringBuilder("ASSISTANT (" + message.agentName() + "):");
                if (!content.isEmpty()) {
                    text.append('\n').append(head(content, cut * 2));
                }
                if (message.status() != MessageStatus.COMPLETE) {
                    text.append("\n[answer cut off: ")
                            .append(message.status().wire())
                            .append(']');
                }
                if (message.hasToolCalls()) {
                    message.toolCalls().forEach(call -> text.append(called(call, cut)));
                }
                yield text.toString();
            }
        };
    }

    private static String called(JsonNode call, int cut) {
        JsonNode function = call.path("function");
        return "\nCALLED " + function.path("name").asText() + ' '
                + call.path("id").asText() + ": "
                + head(function.path("arguments").asText(), cut);
    }

    private static String head(String text, int chars) {
        return text.length() <= chars
                ? text
                : text.substring(0, chars) + " [... " + (text.length() - chars) + " more characters]";
    }
}
