package dev.codelab.agent.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One configured rule: it matches a tool (or {@code *}), optionally an argument whose text matches a regular
 * expression, optionally commands whose first words are one of {@code command-prefixes}; the first matching
 * rule decides.
 */
record ApprovalRule(
        String tool,
        Optional<String> argument,
        Optional<Pattern> pattern,
        List<List<String>> commandPrefixes,
        Decision decision) {

    static ApprovalRule from(Config rule) {
        String tool = rule.get("tool").asString().orElse("*");
        Decision.Verdict verdict =
                Decision.Verdict.valueOf(rule.get("decision").asString().get().toUpperCase(Locale.ROOT));
        String reason = rule.get("reason")
                .asString()
                .orElse(
                        switch (verdict) {
                            case ALLOW -> "Allowed by policy";
                            case ASK -> "Requires user approval";
                            case DENY -> "Denied by policy";
                        });
        List<List<String>> prefixes = rule.get("command-prefixes").asList(String.class).orElse(List.of()).stream()
                .map(CommandParts::words)
                .toList();
        return new ApprovalRule(
                tool,
                rule.get("argument").asString().asOptional(),
                rule.get("pattern").asString().asOptional().map(Pattern::compile),
                prefixes,
                new Decision(verdict, reason));
    }

    /** Whether the rule applies to {@code tool} with {@code arguments}; {@code command} is one part of a chain. */
    boolean matches(String toolName, JsonNode arguments, String command) {
        if (!tool.equals("*") && !tool.equals(toolName)) {
            return false;
        }
        if (pattern.isPresent()) {
            String value = argument.map(name -> arguments.path(name).asText()).orElse(command);
            if (value == null || !pattern.get().matcher(value).find()) {
                return false;
            }
        }
        if (!commandPrefixes.isEmpty()) {
            List<String> words = CommandParts.words(command == null ? "" : command);
            return commandPrefixes.stream().anyMatch(prefix -> startsWith(words, prefix));
        }
        return true;
    }

    private static boolean startsWith(List<String> words, List<String> prefix) {
        return !prefix.isEmpty()
                && words.size() >= prefix.size()
                && words.subList(0, prefix.size()).equals(prefix);
    }
}
