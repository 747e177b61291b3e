package dev.codelab.client;

import java.util.List;

/**
 * One of the agents a session can talk to.
 *
 * @param type         the id used in {@code agent_type} ({@code orchestrator}, {@code coder}, ...)
 * @param name         display name
 * @param emoji        display emoji
 * @param description  what the agent does
 * @param allowedTools the tools it may call
 */
public record Agent(String type, String name, String emoji, String description, List<String> allowedTools) {}
