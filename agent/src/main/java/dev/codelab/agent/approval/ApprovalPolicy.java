package dev.codelab.agent.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides whether an IDE tool call runs at once, waits for the user, or is refused. Ordered rules from
 * {@code agent-runtime.approval-rules}; the first match decides, no match asks. Chained commands are judged
 * part by part (any deny denies, else any ask asks). Writes to secret-looking files always ask.
 */
public final class ApprovalPolicy {

    private static final Pattern SECRET_FILE = Pattern.compile("(^|[/\\\\])\\.env[^/\\\\]*$|\\.pem$|\\.key$");
    private static final Decision NO_RULE = Decision.ask("Requires user approval");

    private final List<ApprovalRule> rules;

    private ApprovalPolicy(List<ApprovalRule> rules) {
        this.rules = rules;
    }

    public static ApprovalPolicy from(Config rules) {
        List<ApprovalRule> parsed = new ArrayList<>();
        rules.asNodeList().orElse(List.of()).forEach(rule -> parsed.add(ApprovalRule.from(rule)));
        return new ApprovalPolicy(List.copyOf(parsed));
    }

    public Decision decide(String tool, JsonNode arguments) {
        if (tool.equals("write_file")
                && SECRET_FILE.matcher(arguments.path("path").asText()).find()) {
            return Decision.ask("Writing a secrets file requires user approval");
        }
        if (!tool.equals("execute_command")) {
            return firstMatch(tool, arguments, null);
        }
        String whole = arguments.path("command").asText();
        List<String> parts = new ArrayList<>(CommandParts.split(whole));
        // The whole line too: splitting takes a fork bomb ":(){ :|:& };:" apart, so its deny prefix matched no part.
        if (!whole.isBlank()) {
            parts.add(whole.strip());
        }
        Decision combined = null;
        for (String part : parts) {
            Decision decision = firstMatch(tool, arguments, part);
            if (combined == null || rank(decision) > rank(combined)) {
                combined = decision;
            }
        }
        return combined == null ? firstMatch(tool, arguments, "") : combined;
    }

    private Decision firstMatch(String tool, JsonNode arguments, String command) {
        return rules.stream()
                .filter(rule -> rule.matches(tool, arguments, command))
                .map(ApprovalRule::decision)
                .findFirst()
                .orElse(NO_RULE);
    }

    private static int rank(Decision decision) {
        return decision.verdict().ordinal();
    }
}
