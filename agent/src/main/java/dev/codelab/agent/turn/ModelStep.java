package dev.codelab.agent.turn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.agents.AgentPrompts;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.context.PromptBuilder;
import dev.codelab.agent.context.SessionContext;
import dev.codelab.agent.llm.LlmCancelled;
import dev.codelab.agent.llm.LlmClient;
import dev.codelab.agent.llm.LlmCompletion;
import dev.codelab.agent.llm.LlmFailure;
import dev.codelab.agent.store.MessageStatus;
import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.store.MessageStore.NewMessage;
import dev.codelab.agent.store.SessionStore.Session;
import dev.codelab.agent.store.Turns;
import dev.codelab.agent.tools.ToolCatalog;
import java.util.Optional;

/**
 * One LLM call of the loop: the prompt built for the current agent, the completion streamed to the client as it
 * arrives, the step counted. A cancel or a failure of the model ends the turn here, keeping what was streamed.
 */
final class ModelStep {

    private final LlmClient llm;
    private final AgentPrompts prompts;
    private final ToolCatalog tools;
    private final SessionContext context;

    ModelStep(LlmClient llm, AgentPrompts prompts, ToolCatalog tools, SessionContext context) {
        this.llm = llm;
        this.prompts = prompts;
        this.tools = tools;
        this.context = context;
    }

    /** The model's answer; empty when the turn ended in the call (cancelled or failed). */
    Optional<LlmCompletion> run(TurnContext ctx, long turn, Session session, AgentType agent) {
        ObjectNode request = llm.newRequest();
        JsonNode toolDefinitions = tools.definitionsFor(agent);
        try {
            PromptBuilder.Prompt prompt =
                    context.forStep(ctx, prompts.systemPrompt(agent, session.systemPrompt()), toolDefinitions);
            // messages before tools, as every turn writes them: the request's bytes start with a stable prefix
            request.set("messages", prompt.messages());
            request.set("tools", toolDefinitions);
            LlmCompletion completion = llm.stream(
                    request,
                    ctx.llmCall(agent),
                    token -> ctx.sink().send(Events.token(token, agent)),
                    ctx.cancellation());
            ctx.write(tx -> {
                Turns.countStep(tx, turn, completion.promptTokens(), completion.completionTokens());
                context.calibrate(tx, ctx.sessionId(), prompt, completion.promptTokens());
            });
            if (!completion.text().isEmpty()) {
                ctx.sink().send(Events.finalMessage("", completion.text(), agent));
            }
            return Optional.of(completion);
        } catch (LlmCancelled e) {
            keepPartial(ctx, turn, agent, e.partialText(), MessageStatus.CANCELLED);
            TurnEnd.finish(ctx, turn, DoneReason.CANCELLED);
        } catch (LlmFailure e) {
            failed(ctx, turn, agent, e);
        }
        return Optional.empty();
    }

    /** The model failed for good: what it streamed is kept, and the turn ends resumable by a {@code continue}. */
    private static void failed(TurnContext ctx, long turn, AgentType agent, LlmFailure e) {
        keepPartial(ctx, turn, agent, e.partialText(), MessageStatus.ERROR);
        ctx.sink().send(failureEvent(e));
        ctx.write(tx -> Turns.markResumable(tx, turn));
        TurnEnd.finish(ctx, turn, DoneReason.ERROR, Events.resumableError());
    }

    private static void keepPartial(TurnContext ctx, long turn, AgentType agent, String partial, MessageStatus status) {
        ctx.write(tx -> {
            Turns.countStep(tx, turn, 0, 0);
            if (!partial.isEmpty()) {
                MessageStore.append(
                        tx,
                        ctx.sessionId(),
                        NewMessage.assistant(agent.id(), partial).withStatus(status));
            }
        });
        if (!partial.isEmpty()) {
            ctx.sink().send(Events.finalMessage("", partial, agent));
        }
    }

    private static ObjectNode failureEvent(LlmFailure e) {
        return e.isTimeout()
                ? Events.error("The language model timed out: " + e.getMessage(), ErrorCode.LLM_TIMEOUT)
                : Events.error("The language model failed: " + e.getMessage(), ErrorCode.LLM_ERROR);
    }
}
