package dev.codelab.llmproxy.fake;

import dev.codelab.llmproxy.registry.YamlFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fake model's rule file ({@code fake-rules.yaml}, replaceable): tool rules, the answer after a tool result,
 * the echo text and the classification keywords.
 */
public record FakeRules(
        List<ToolRule> tools,
        AfterToolResult afterToolResult,
        String echo,
        Integer echoWords,
        Classification classification) {

    public static final String DEFAULT_RESOURCE = "fake-rules.yaml";

    public static FakeRules load(Optional<Path> path) {
        FakeRules rules = YamlFiles.read(path, DEFAULT_RESOURCE, FakeRules.class);
        if (rules.tools() == null
                || rules.afterToolResult() == null
                || rules.echo() == null
                || rules.classification() == null) {
            throw new IllegalStateException("Fake rules need tools, after_tool_result, echo and classification");
        }
        return rules;
    }

    /**
     * A user request that calls {@code tool}. An argument is a text, which may name the pattern's groups as
     * {@code $1}, or a boolean, number, list or object of such values (e.g. the {@code edits} of {@code edit_file}).
     */
    public record ToolRule(String tool, String pattern, Map<String, Object> arguments, Map<String, String> defaults) {

        Pattern compiled() {
            return Pattern.compile(pattern, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        }
    }

    /** The answer to a tool result: {@code summary} (with {tool} and {result}) then a completion tool call. */
    public record AfterToolResult(String summary, String completionTool, Map<String, String> completionArguments) {}

    public record Classification(String defaultAgent, List<AgentKeywords> agents) {}

    public record AgentKeywords(String agent, List<String> keywords) {}
}
