package dev.codelab.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.tools.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Joins the {@code delta.tool_calls} fragments of an OpenAI stream by {@code index}: the id and name arrive once,
 * the argument text in pieces.
 */
final class ToolCallDeltas {

    private final Map<Integer, Parts> calls = new TreeMap<>();

    void add(JsonNode deltas) {
        for (JsonNode delta : deltas) {
            Parts parts = calls.computeIfAbsent(delta.path("index").asInt(calls.size()), i -> new Parts());
            if (delta.hasNonNull("id")) {
                parts.id = delta.get("id").asText();
            }
            JsonNode function = delta.path("function");
            if (function.hasNonNull("name")) {
                parts.name.append(function.get("name").asText());
            }
            if (function.hasNonNull("arguments")) {
                parts.arguments.append(function.get("arguments").asText());
            }
        }
    }

    List<ToolCall> calls() {
        List<ToolCall> result = new ArrayList<>();
        calls.values().forEach(p -> result.add(new ToolCall(p.id, p.name.toString(), p.arguments.toString())));
        return result;
    }

    private static final class Parts {
        private String id;
        private final StringBuilder name = new StringBuilder();
        private final StringBuilder arguments = new StringBuilder();
    }
}
