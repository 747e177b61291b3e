package dev.codelab.agent.context;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.store.MessageStatus;
import dev.codelab.agent.store.MessageStore.Message;
import dev.codelab.agent.store.Summaries.Summary;
import dev.codelab.shared.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Turns a {@link Conversation} into the {@code messages} of a chat-completions request within a budget of
 * estimated tokens ({@link TokenEstimate}, uncalibrated): the system prompt, the first user message and the summary
 * always; then as many of the newest messages as fit. An assistant tool call and its results are kept or dropped
 * together; tool results over the size limit are cut with a marker. An answer cut off by a failure of the model is
 * marked as such, and when it is the last message the model is asked to continue it.
 */
public final class PromptBuilder {

    static final String CUT_OFF_MARK = "\n[This answer was cut off here: the model provider failed.]";
    static final String CONTINUE_NOTE = "Your previous answer was cut off by a failure of the model provider. "
            + "Continue it from where it stopped, without repeating what you already wrote; the tool calls above "
            + "have already run.";

    private final int maxToolResultBytes;

    public PromptBuilder(int maxToolResultBytes) {
        this.maxToolResultBytes = maxToolResultBytes;
    }

    /** The prompt's messages and their estimated tokens. */
    public record Prompt(ArrayNode messages, int estimatedTokens) {}

    public Prompt build(String systemPrompt, Conversation conversation, int budgetTokens) {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        ObjectNode system = messages.addObject().put("role", "system").put("content", systemPrompt);
        int used = estimate(system);
        for (ObjectNode pinned : pinned(conversation)) {
            messages.add(pinned);
            used += estimate(pinned);
        }
        Deque<List<ObjectNode>> kept = new ArrayDeque<>();
        List<List<Message>> units = units(conversation.rest());
        for (int i = units.size() - 1; i >= 0; i--) {
            List<ObjectNode> unit = units.get(i).stream().map(this::toOpenAi).toList();
            int cost = unit.stream().mapToInt(PromptBuilder::estimate).sum();
            if (used + cost > budgetTokens && !kept.isEmpty()) {
                break;
            }
            used += cost;
            kept.addFirst(unit);
        }
        kept.forEach(unit -> unit.forEach(messages::add));
        if (!conversation.rest().isEmpty() && isCutOff(conversation.rest().getLast())) {
            ObjectNode note = messages.addObject().put("role", "user").put("content", CONTINUE_NOTE);
            used += estimate(note);
        }
        return new Prompt(messages, used);
    }

    /** The estimated tokens of the whole conversation's messages, nothing left out (the system prompt not included). */
    public int estimate(Conversation conversation) {
        int tokens =
                pinned(conversation).stream().mapToInt(PromptBuilder::estimate).sum();
        for (Message message : conversation.rest()) {
            tokens += estimate(toOpenAi(message));
        }
        return tokens;
    }

    /** The estimated tokens of some messages as the prompt would send them. */
    public int estimate(List<Message> messages) {
        return messages.stream().mapToInt(m -> estimate(toOpenAi(m))).sum();
    }

    /** Messages grouped so that a tool call and its results are never separated. */
    public static List<List<Message>> units(List<Message> history) {
        List<List<Message>> units = new ArrayList<>();
        for (Message message : history) {
            if (message.role().equals("tool") && !units.isEmpty()) {
                units.getLast().add(message);
            } else {
                List<Message> unit = new ArrayList<>();
                unit.add(message);
                units.add(unit);
            }
        }
        return units;
    }

    private List<ObjectNode> pinned(Conversation conversation) {
        List<ObjectNode> pinned = new ArrayList<>(2);
        conversation.firstUser().ifPresent(first -> pinned.add(toOpenAi(first)));
        conversation.summary().ifPresent(summary -> pinned.add(summaryMessage(summary)));
        return pinned;
    }

    static ObjectNode summaryMessage(Summary summary) {
        return Json.MAPPER
                .createObjectNode()
                .put("role", "user")
                .put(
                        "content",
                        "[Summary of the conversation after my first message (messages " + summary.firstSeq() + "-"
                                + summary.lastSeq() + "), condensed to fit the context window]\n\n"
                                + summary.content());
    }

    ObjectNode toOpenAi(Message message) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("role", message.role());
        switch (message.role()) {
            case "assistant" -> {
                String content = message.content() == null ? "" : message.content();
                if (isCutOff(message) && !content.isEmpty()) {
                    content += CUT_OFF_MARK;
                }
                if (!content.isEmpty()) {
                    node.put("content", content);
                } else if (!message.hasToolCalls()) {
                    node.put("content", "");
                }
                if (message.hasToolCalls()) {
                    node.set("tool_calls", message.toolCalls());
                }
            }
            case "tool" -> {
                node.put("tool_call_id", message.toolCallId());
                node.put("content", cut(message.content()));
            }
            default -> node.put("content", message.content());
        }
        return node;
    }

    /** An answer the model could not finish (its stream failed); a {@code continue} resumes it. */
    static boolean isCutOff(Message message) {
        return message.role().equals("assistant") && message.status() == MessageStatus.ERROR;
    }

    private String cut(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxToolResultBytes) {
            return content;
        }
        String head = new String(bytes, 0, maxToolResultBytes, StandardCharsets.UTF_8);
        return head + "\n[... tool result truncated: " + maxToolResultBytes + " of " + bytes.length + " bytes shown]";
    }

    private static int estimate(ObjectNode message) {
        return TokenEstimate.of(Json.write(message));
    }
}
