package dev.codelab.agent.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.llm.Cancellation;
import dev.codelab.agent.llm.LlmCall;
import dev.codelab.agent.llm.LlmClient;
import dev.codelab.agent.llm.LlmFailure;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The orchestrator's routing: one non-streaming LLM classification call (JSON answer
 * {@code {"agent","confidence","reasoning"}}, only the four specialists allowed), and a keyword fallback when the
 * call fails or the answer makes no sense.
 */
public final class AgentRouter {

    private static final System.Logger LOG = System.getLogger(AgentRouter.class.getName());
    /** Checked in this order; the first agent with a matching keyword wins (agent.md). */
    private static final List<Map.Entry<AgentType, List<String>>> KEYWORDS = List.of(
            Map.entry(AgentType.CODER, List.of("create", "write", "implement", "fix", "code", "refactor", "modify")),
            Map.entry(AgentType.ARCHITECT, List.of("design", "architecture", "plan", "spec")),
            Map.entry(AgentType.DEBUG, List.of("debug", "error", "bug", "why", "investigate", "crash")),
            Map.entry(AgentType.ASK, List.of("explain", "what is", "how does", "help", "understand")));

    private final LlmClient llm;
    private final AgentPrompts prompts;

    public AgentRouter(LlmClient llm, AgentPrompts prompts) {
        this.llm = llm;
        this.prompts = prompts;
    }

    public record Route(AgentType agent, Confidence confidence, String reason) {

        /** The switch from the orchestrator to the chosen agent. */
        public AgentSwitch fromOrchestrator() {
            return new AgentSwitch(AgentType.ORCHESTRATOR, agent, reason, confidence);
        }
    }

    /** @throws dev.codelab.agent.llm.BudgetExceeded when the user's budget is used up */
    public Route route(String userText, LlmCall call, Cancellation cancellation) {
        ObjectNode request = llm.newRequest();
        ArrayNode messages = request.putArray("messages");
        messages.addObject().put("role", "system").put("content", prompts.systemPrompt(AgentType.ORCHESTRATOR, null));
        messages.addObject().put("role", "user").put("content", userText);
        try {
            return parse(llm.completeJson(request, call, cancellation)).orElseGet(() -> {
                LOG.log(System.Logger.Level.WARNING, "Routing answer is not usable; using keywords");
                return byKeywords(userText);
            });
        } catch (LlmFailure e) {
            LOG.log(System.Logger.Level.WARNING, "Routing call failed (" + e.getMessage() + "); using keywords");
            return byKeywords(userText);
        }
    }

    static Optional<Route> parse(String content) {
        try {
            JsonNode answer = Json.read(content);
            AgentType agent = AgentType.parse(answer.path("agent").asText().toLowerCase(Locale.ROOT))
                    .orElse(null);
            if (agent == null || !agent.isSpecialist()) {
                return Optional.empty();
            }
            Confidence confidence =
                    Confidence.parse(answer.path("confidence").asText()).orElse(Confidence.MEDIUM);
            String reasoning = answer.path("reasoning").asText();
            return Optional.of(
                    new Route(agent, confidence, reasoning.isBlank() ? "Task classified as " + agent.id() : reasoning));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static Route byKeywords(String userText) {
        String text = userText.toLowerCase(Locale.ROOT);
        for (Map.Entry<AgentType, List<String>> entry : KEYWORDS) {
            for (String keyword : entry.getValue()) {
                if (text.contains(keyword)) {
                    return new Route(entry.getKey(), Confidence.LOW, "Keyword match: " + keyword);
                }
            }
        }
        return new Route(AgentType.CODER, Confidence.LOW, "No keyword matched; defaulting to coder");
    }
}
