package dev.codelab.agent.agents;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The five agents of agent.md with the tools each may call (IDE tools and runtime tools).
 */
public enum AgentType {
    ORCHESTRATOR(
            "Orchestrator Agent",
            "🎭",
            "Routes each new task to the right specialist; may read to understand the task; never edits.",
            List.of("read_file", "list_files", "search_in_code", "handoff")),
    CODER(
            "Coder Agent",
            "💻",
            "Writes and changes code, runs tests.",
            List.of(
                    "read_file",
                    "edit_file",
                    "write_file",
                    "list_files",
                    "create_directory",
                    "execute_command",
                    "search_in_code",
                    "handoff",
                    "attempt_completion",
                    "ask_followup_question")),
    ARCHITECT(
            "Architect Agent",
            "🏗️",
            "Plans and designs; writes only Markdown (*.md) files.",
            List.of(
                    "read_file",
                    "list_files",
                    "search_in_code",
                    "write_file",
                    "handoff",
                    "attempt_completion",
                    "ask_followup_question")),
    DEBUG(
            "Debug Agent",
            "🐛",
            "Investigates failures and runs diagnostic commands; does not edit files.",
            List.of(
                    "read_file",
                    "list_files",
                    "search_in_code",
                    "execute_command",
                    "handoff",
                    "attempt_completion",
                    "ask_followup_question")),
    ASK(
            "Ask Agent",
            "💬",
            "Explains and answers questions; read-only.",
            List.of("read_file", "list_files", "search_in_code", "handoff", "attempt_completion"));

    private final String displayName;
    private final String emoji;
    private final String description;
    private final List<String> tools;

    AgentType(String displayName, String emoji, String description, List<String> tools) {
        this.displayName = displayName;
        this.emoji = emoji;
        this.description = description;
        this.tools = tools;
    }

    /** The wire name ({@code coder}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String displayName() {
        return displayName;
    }

    public String emoji() {
        return emoji;
    }

    public String description() {
        return description;
    }

    public List<String> tools() {
        return tools;
    }

    public boolean mayCall(String tool) {
        return tools.contains(tool);
    }

    /** The four agents routing may choose. */
    public boolean isSpecialist() {
        return this != ORCHESTRATOR;
    }

    public static Optional<AgentType> parse(String id) {
        if (id == null) {
            return Optional.empty();
        }
        for (AgentType type : values()) {
            if (type.id().equals(id)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
