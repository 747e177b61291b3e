package dev.codelab.agent.turn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.store.Messages.Message;
import dev.codelab.shared.http.Json;

/**
 * Turns stored history into the {@code messages} of a chat-completions request that fits the context window:
 * the system prompt, the first user message and as many of the newest messages as fit; an assistant tool call
 * and its result are kept or dropped together; tool results over the size limit are cut with a marker.
 * Token counts are estimated (four characters a token), which is enough to stay clear of the limit.
 */
public final class PromptBuilder {

    private final int windowTokens;
    private final int maxToolResultBytes;

    public PromptBuilder(int windowTokens, int maxToolResultBytes) {
        this.windowTokens = windowTokens;
        this.maxToolResultBytes = maxToolResultBytes;
    }

    public ArrayNode build(String systemPrompt, List<Message> history) {
        List<List<ObjectNode>> units = units(history);
        int budget = windowTokens - estimate(systemPrompt);
        int firstUser = -1;
        for (int i = 0; i < units.size() && firstUser < 0; i++) {
            if (units.get(i).getFirst().path("role").asText().equals("user")) {
                firstUser = i;
                budget -= estimate(units.get(i));
            }
        }
        Deque<List<ObjectNode>> kept = new ArrayDeque<>();
        for (int i = units.size() - 1; i > firstUser; i--) {
            int cost = estimate(units.get(i));
            if (cost > budget && !kept.isEmpty()) {
                break;
            }
            budget -= cost;
            kept.addFirst(units.get(i));
        }
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.addObject().put("role", "system").put("content", systemPrompt);
        if (firstUser >= 0) {
            units.get(firstUser).forEach(messages::add);
        }
        kept.forEach(unit -> unit.forEach(messages::add));
        return messages;
    }

    /** Messages grouped so that a tool call and its results are never separated. */
    private List<List<ObjectNode>> units(List<Message> history) {
        List<List<ObjectNode>> units = new ArrayList<>();
        for (Message message : history) {
            ObjectNode openAi = toOpenAi(message);
            if (message.role().equals("tool") && !units.isEmpty()) {
                units.getLast().add(openAi);
            } else {
                List<ObjectNode> unit = new ArrayList<>();
                unit.add(openAi);
                units.add(unit);
            }
        }
        return units;
    }

    ObjectNode toOpenAi(Message message) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("role", message.role());
        switch (message.role()) {
            case "assistant" -> {
                if (message.content() != null && !message.content().isEmpty()) {
                    node.put("content", message.content());
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

    private String cut(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxToolResultBytes) {
            return content;
        }
        String head = new String(bytes, 0, maxToolResultBytes, StandardCharsets.UTF_8);
        return head + "\n[... tool result truncated: " + maxToolResultBytes + " of " + bytes.length
                + " bytes shown]";
    }

    private static int estimate(List<ObjectNode> unit) {
        return unit.stream().mapToInt(m -> estimate(Json.write(m))).sum();
    }

    private static int estimate(String text) {
        return 4 + text.length() / 4;
    }
}
