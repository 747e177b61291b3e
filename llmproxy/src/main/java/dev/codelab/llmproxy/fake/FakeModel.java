package dev.codelab.llmproxy.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.provider.MessageContent;
import dev.codelab.shared.http.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Decides the fake model's answer to a chat request by the rules of {@link FakeRules}; deterministic, offline,
 * and never calls a tool the request does not offer.
 */
final class FakeModel {

    private static final int MAX_RESULT_CHARS = 80;

    private final FakeRules rules;
    private final List<CompiledRule> toolRules;
    private final Map<String, List<Pattern>> keywords = new LinkedHashMap<>();

    FakeModel(FakeRules rules) {
        this.rules = rules;
        this.toolRules = rules.tools().stream()
                .map(r -> new CompiledRule(r, r.compiled()))
                .toList();
        for (FakeRules.AgentKeywords agent : rules.classification().agents()) {
            keywords.put(
                    agent.agent(),
                    agent.keywords().stream()
                            .map(k -> Pattern.compile("\\b" + Pattern.quote(k) + "\\b", Pattern.CASE_INSENSITIVE))
                            .toList());
        }
    }

    FakeReply reply(ObjectNode request) {
        JsonNode messages = request.path("messages");
        String lastUser = lastUserText(messages);
        if (request.path("response_format").path("type").asText().equals("json_object")) {
            return new FakeReply(Json.write(classify(lastUser)), Optional.empty());
        }
        Set<String> offered = offeredTools(request);
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && last.path("role").asText().equals("tool")) {
            return afterToolResult(messages, last, offered);
        }
        for (CompiledRule rule : toolRules) {
            Matcher matcher = rule.pattern().matcher(lastUser);
            if (offered.contains(rule.rule().tool()) && matcher.find()) {
                return new FakeReply(
                        "", Optional.of(new FakeReply.ToolCall(rule.rule().tool(), arguments(rule.rule(), matcher))));
            }
        }
        return new FakeReply(rules.echo().replace("{request}", firstWords(lastUser)), Optional.empty());
    }

    private ObjectNode classify(String text) {
        for (Map.Entry<String, List<Pattern>> agent : keywords.entrySet()) {
            for (Pattern keyword : agent.getValue()) {
                Matcher matcher = keyword.matcher(text);
                if (matcher.find()) {
                    return Json.MAPPER
                            .createObjectNode()
                            .put("agent", agent.getKey())
                            .put("confidence", "high")
                            .put(
                                    "reasoning",
                                    "The request mentions \"" + matcher.group().toLowerCase(Locale.ROOT) + "\".");
                }
            }
        }
        return Json.MAPPER
                .createObjectNode()
                .put("agent", rules.classification().defaultAgent())
                .put("confidence", "low")
                .put("reasoning", "No routing keyword found; using the default agent.");
    }

    private FakeReply afterToolResult(JsonNode messages, JsonNode toolMessage, Set<String> offered) {
        String result = MessageContent.text(toolMessage.path("content")).strip().replaceAll("\\s+", " ");
        if (result.length() > MAX_RESULT_CHARS) {
            result = result.substring(0, MAX_RESULT_CHARS) + "...";
        }
        String summary = rules.afterToolResult()
                .summary()
                .replace(
                        "{tool}",
                        toolName(messages, toolMessage.path("tool_call_id").asText()))
                .replace("{result}", result.isEmpty() ? "nothing" : result);
        FakeRules.AfterToolResult after = rules.afterToolResult();
        if (after.completionTool() == null || !offered.contains(after.completionTool())) {
            return new FakeReply(summary, Optional.empty());
        }
        ObjectNode arguments = Json.MAPPER.createObjectNode();
        after.completionArguments().forEach((name, value) -> arguments.put(name, value.replace("{summary}", summary)));
        return new FakeReply(summary, Optional.of(new FakeReply.ToolCall(after.completionTool(), arguments)));
    }

    /** The name of the tool whose call {@code callId} answers, from the assistant messages before it. */
    private static String toolName(JsonNode messages, String callId) {
        for (JsonNode message : messages) {
            for (JsonNode call : message.path("tool_calls")) {
                if (call.path("id").asText().equals(callId)) {
                    return call.path("function").path("name").asText("the tool");
                }
            }
        }
        return "the tool";
    }

    private static ObjectNode arguments(FakeRules.ToolRule rule, Matcher matcher) {
        ObjectNode arguments = Json.MAPPER.createObjectNode();
        rule.arguments().forEach((name, template) -> {
            JsonNode value = filled(name, Json.MAPPER.valueToTree(template), matcher);
            if (value.isTextual()
                    && value.asText().isEmpty()
                    && rule.defaults() != null
                    && rule.defaults().containsKey(name)) {
                value = Json.MAPPER.getNodeFactory().textNode(rule.defaults().get(name));
            }
            arguments.set(name, value);
        });
        return arguments;
    }

    /** The template with the pattern's groups in its texts, at any depth; other values as they are. */
    private static JsonNode filled(String name, JsonNode template, Matcher matcher) {
        if (template.isTextual()) {
            String raw = substitute(template.asText(), matcher);
            return Json.MAPPER.getNodeFactory().textNode(name.equals("path") ? trimPath(raw) : unquote(raw));
        }
        if (template.isObject()) {
            ObjectNode object = Json.MAPPER.createObjectNode();
            template.properties()
                    .forEach(field -> object.set(field.getKey(), filled(field.getKey(), field.getValue(), matcher)));
            return object;
        }
        if (template.isArray()) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            template.forEach(item -> array.add(filled(name, item, matcher)));
            return array;
        }
        return template;
    }

    private static String substitute(String template, Matcher matcher) {
        StringBuilder value = new StringBuilder();
        Matcher groups = Pattern.compile("\\$(\\d)").matcher(template);
        while (groups.find()) {
            int group = Integer.parseInt(groups.group(1));
            String text = group <= matcher.groupCount() && matcher.group(group) != null ? matcher.group(group) : "";
            groups.appendReplacement(value, Matcher.quoteReplacement(text));
        }
        groups.appendTail(value);
        return value.toString().strip();
    }

    private static String trimPath(String path) {
        return unquote(path.replaceAll("[.,;:!?]+$", ""));
    }

    private static String unquote(String value) {
        String text = value.strip();
        if (text.length() >= 2
                && "\"'`".indexOf(text.charAt(0)) >= 0
                && text.charAt(text.length() - 1) == text.charAt(0)) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }

    private String firstWords(String text) {
        int limit = rules.echoWords() == null ? 12 : rules.echoWords();
        String[] words = text.strip().split("\\s+");
        String head = String.join(" ", List.of(words).subList(0, Math.min(limit, words.length)));
        return words.length > limit ? head + " ..." : head;
    }

    private static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).path("role").asText().equals("user")) {
                return MessageContent.text(messages.get(i).path("content"));
            }
        }
        return "";
    }

    private static Set<String> offeredTools(ObjectNode request) {
        if (request.path("tool_choice").asText().equals("none")) {
            return Set.of();
        }
        return StreamSupport.stream(request.path("tools").spliterator(), false)
                .map(tool -> tool.path("function").path("name").asText())
                .collect(Collectors.toSet());
    }

    private record CompiledRule(FakeRules.ToolRule rule, Pattern pattern) {}
}
