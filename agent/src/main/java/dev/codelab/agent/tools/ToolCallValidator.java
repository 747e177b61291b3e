package dev.codelab.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.agents.AgentType;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a model's tool call before it is stored or sent to the IDE (docs/agent.md, "Agents"): the tool exists and the
 * agent may call it, the arguments are a JSON object matching the schema, paths stay inside the workspace, and
 * the architect writes only Markdown.
 */
public final class ToolCallValidator {

    private static final List<String> PATH_ARGUMENTS = List.of("path", "cwd");
    private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("^[A-Za-z]:[\\\\/].*");

    private final ToolCatalog catalog;

    public ToolCallValidator(ToolCatalog catalog) {
        this.catalog = catalog;
    }

    /** Why the call is invalid, or empty when it may run. */
    public Optional<String> problem(AgentType agent, ToolCall call) {
        if (catalog.definition(call.name()).isEmpty()) {
            return Optional.of("Unknown tool '" + call.name() + "'.");
        }
        if (isForbidden(agent, call)) {
            return Optional.of("Tool '" + call.name() + "' is not allowed for " + agent.displayName()
                    + ". Allowed tools: " + String.join(", ", agent.tools()) + ".");
        }
        if (!isJsonObject(call.argumentsJson())) {
            return Optional.of("The arguments of '" + call.name() + "' must be a JSON object.");
        }
        return argumentProblem(agent, call.name(), call.arguments());
    }

    /** Whether the call names a tool that exists but is not in the agent's allowed list. */
    public boolean isForbidden(AgentType agent, ToolCall call) {
        return catalog.definition(call.name()).isPresent() && !agent.mayCall(call.name());
    }

    /** Schema, path and agent restrictions for arguments (also used for arguments the user edited). */
    public Optional<String> argumentProblem(AgentType agent, String tool, JsonNode arguments) {
        List<String> errors = catalog.schemaErrors(tool, arguments);
        if (!errors.isEmpty()) {
            return Optional.of("Invalid arguments for '" + tool + "': " + String.join("; ", errors));
        }
        for (String name : PATH_ARGUMENTS) {
            JsonNode path = arguments.get(name);
            if (path != null && path.isTextual() && !isWorkspaceRelative(path.asText())) {
                return Optional.of(
                        "'" + name + "' must be a path relative to the workspace without '..': " + path.asText());
            }
        }
        if (agent == AgentType.ARCHITECT
                && tool.equals("write_file")
                && !arguments.path("path").asText().endsWith(".md")) {
            return Optional.of("The Architect Agent may only write Markdown (*.md) files; hand off to coder for "
                    + "code changes.");
        }
        return Optional.empty();
    }

    static boolean isWorkspaceRelative(String path) {
        if (path.startsWith("/")
                || path.startsWith("\\")
                || path.startsWith("~")
                || WINDOWS_ABSOLUTE.matcher(path).matches()) {
            return false;
        }
        for (String part : path.split("[/\\\\]")) {
            if (part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isJsonObject(String text) {
        if (text == null || text.isBlank()) {
            return true;
        }
        try {
            return dev.codelab.shared.http.Json.read(text).isObject();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
