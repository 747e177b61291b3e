package dev.codelab.agent.turn;

import dev.codelab.agent.AgentSettings;
import dev.codelab.agent.agents.AgentPrompts;
import dev.codelab.agent.agents.AgentRouter;
import dev.codelab.agent.agents.AgentSwitch;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.approval.ApprovalPolicy;
import dev.codelab.agent.context.ModelWindows;
import dev.codelab.agent.context.SessionContext;
import dev.codelab.agent.llm.LlmCancelled;
import dev.codelab.agent.llm.LlmClient;
import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.store.MessageStore.NewMessage;
import dev.codelab.agent.store.SessionStore;
import dev.codelab.agent.store.SessionStore.Session;
import dev.codelab.agent.store.TurnState;
import dev.codelab.agent.store.Turns;
import dev.codelab.agent.tools.ToolCallValidator;
import dev.codelab.agent.tools.ToolCatalog;
import dev.codelab.agent.usage.UsageProxy;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.http.ApiException;
import java.time.Clock;

/**
 * The agent loop (docs/agent.md, "The loop"): plain blocking code run under the session lease. A client frame
 * is checked against the stored state ({@link FrameChecks}), then run: a user message starts a turn whose steps
 * ({@link AgentLoop}) each stream one LLM completion ({@link ModelStep}) and act on its first tool call
 * ({@link AnswerActions}); runtime tools run there, IDE tools pause the turn until the IDE answers in a later
 * request ({@link ToolResults}, {@link HitlDecisions}).
 */
public final class TurnEngine {

    private final AgentPrompts prompts;
    private final ToolCatalog tools;
    private final SessionContext context;
    private final FrameChecks checks;
    private final AgentLoop loop;
    private final ToolResults toolResults;
    private final HitlDecisions hitlDecisions;

    public TurnEngine(
            AgentSettings settings,
            LlmClient llm,
            UsageProxy usage,
            AgentPrompts prompts,
            ToolCatalog tools,
            ApprovalPolicy policy) {
        this.prompts = prompts;
        this.tools = tools;
        this.context = new SessionContext(
                settings, llm, new ModelWindows(llm::models, settings.modelInfoRefresh(), Clock.systemUTC()));
        ToolCallValidator validator = new ToolCallValidator(tools);
        IdeCalls ideCalls = new IdeCalls(policy);
        EditFileCalls editFileCalls = new EditFileCalls(ideCalls);
        this.checks = new FrameChecks(settings, prompts, tools, validator, context);
        this.loop = new AgentLoop(
                settings,
                usage,
                new ModelStep(llm, prompts, tools, context),
                new AnswerActions(settings, validator, ideCalls, editFileCalls),
                new AgentSwitches(new AgentRouter(llm, prompts)));
        this.toolResults = new ToolResults(editFileCalls, loop);
        this.hitlDecisions = new HitlDecisions(loop);
    }

    /**
     * Checks what only the stored state can tell (is this call awaited, may the agent switch); throws the 400/409
     * {@link ApiException} before anything is streamed or written.
     */
    public void check(Sql c, Session session, TurnInput frame) {
        checks.check(c, session, frame);
    }

    /** Runs the frame to the end of this request's stream (always exactly one {@code done}). */
    public void run(TurnContext ctx, TurnInput frame) {
        switch (frame) {
            case TurnInput.UserMessage message -> userMessage(ctx, message);
            case TurnInput.ToolResult result -> toolResults.receive(ctx, result);
            case TurnInput.HitlDecision decision -> hitlDecisions.receive(ctx, decision);
            case TurnInput.SwitchAgent sw -> switchAgent(ctx, sw);
            case TurnInput.Cancel cancel -> TurnEnd.cancelPaused(ctx);
            case TurnInput.Condense condense -> condense(ctx);
            case TurnInput.Continue resume ->
                loop.run(
                        ctx,
                        ctx.writeAndGet(tx -> Turns.start(tx, ctx.sessionId()).id()));
        }
    }

    /** A new message supersedes whatever waits for the IDE and starts a turn (with the agent it names, if any). */
    private void userMessage(TurnContext ctx, TurnInput.UserMessage message) {
        TurnHistory.answerAwaitedCall(ctx, "Not executed: the user sent a new message instead.");
        long turn = ctx.writeAndGet(tx -> {
            Turns.endOpen(tx, ctx.sessionId(), TurnState.SUPERSEDED);
            long started = Turns.start(tx, ctx.sessionId()).id();
            MessageStore.append(tx, ctx.sessionId(), NewMessage.user(message.content()));
            SessionStore.titleIfUntitled(tx, ctx.sessionId(), message.content());
            return started;
        });
        AgentType current = ctx.session().currentAgent();
        if (message.agent().isPresent() && message.agent().get() != current) {
            AgentSwitches.switchTo(
                    ctx, AgentSwitch.certain(current, message.agent().get(), "User requested"));
        }
        loop.run(ctx, turn);
    }

    /** A switch to the agent already current changes nothing but is confirmed all the same. */
    private void switchAgent(TurnContext ctx, TurnInput.SwitchAgent sw) {
        AgentType current = ctx.session().currentAgent();
        if (sw.agent() == current) {
            ctx.sink().send(Events.agentSwitched(AgentSwitch.certain(current, current, sw.reason())));
        } else {
            AgentSwitches.switchTo(ctx, AgentSwitch.certain(current, sw.agent(), sw.reason()));
        }
        TurnEnd.completedWithoutTurn(ctx);
    }

    private void condense(TurnContext ctx) {
        Session session = ctx.session();
        AgentType agent = session.currentAgent();
        try {
            context.condenseNow(ctx, prompts.systemPrompt(agent, session.systemPrompt()), tools.definitionsFor(agent));
            TurnEnd.completedWithoutTurn(ctx);
        } catch (LlmCancelled e) {
            ctx.sink().send(Events.done(DoneReason.CANCELLED));
        }
    }
}
