package dev.codelab.agent.agents;

import dev.codelab.agent.tools.ToolCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The system prompt of each agent: its resource {@code prompts/<type>.md} with the {@code {{tools}}} section
 * generated from the agent's own tool list, so a prompt never offers a tool the agent cannot call.
 */
public final class AgentPrompts {

    private final Map<AgentType, String> prompts = new EnumMap<>(AgentType.class);

    public AgentPrompts(ToolCatalog tools) {
        for (AgentType agent : AgentType.values()) {
            prompts.put(
                    agent,
                    read(agent).replace("{{tools}}", toolSection(agent, tools)).strip());
        }
    }

    /** The agent's prompt followed by the session's own system prompt, if it has one. */
    public String systemPrompt(AgentType agent, String sessionPrompt) {
        String prompt = prompts.get(agent);
        return sessionPrompt == null || sessionPrompt.isBlank() ? prompt : prompt + "\n\n" + sessionPrompt.strip();
    }

    static String toolSection(AgentType agent, ToolCatalog tools) {
        StringBuilder section = new StringBuilder("Your tools (call one per step):\n");
        for (String tool : agent.tools()) {
            section.append("- ")
                    .append(tool)
                    .append(": ")
                    .append(tools.description(tool))
                    .append('\n');
        }
        return section.toString();
    }

    private static String read(AgentType agent) {
        try (InputStream in = AgentPrompts.class.getResourceAsStream("/prompts/" + agent.id() + ".md")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
