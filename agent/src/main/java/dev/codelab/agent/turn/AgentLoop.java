package dev.codelab.agent.turn;

import dev.codelab.agent.AgentSettings;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.llm.BudgetExceeded;
import dev.codelab.agent.llm.LlmCompletion;
import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.store.MessageStore.Message;
import dev.codelab.agent.store.SessionStore.Session;
import dev.codelab.agent.store.Turns;
import dev.codelab.agent.usage.UsageProxy;
import java.util.List;
import java.util.Optional;

/**
 * The turn's LLM steps (docs/agent.md, "The loop"): each step asks the current agent's model and acts on its
 * answer, until an answer ends the turn or waits for the IDE, the user cancels, or the step limit is reached. The
 * orchestrator never answers itself: it routes to a specialist first.
 */
final class AgentLoop {

    private final AgentSettings settings;
    private final UsageProxy usage;
    private final ModelStep modelStep;
    private final AnswerActions actions;
    private final AgentSwitches switches;

    AgentLoop(
            AgentSettings settings,
            UsageProxy usage,
            ModelStep modelStep,
            AnswerActions actions,
            AgentSwitches switches) {
        this.settings = settings;
        this.usage = usage;
        this.modelStep = modelStep;
        this.actions = actions;
        this.switches = switches;
    }

    /** Runs the steps when {@code next} asks for another one; a stream that ended stays ended. */
    void runIf(Next next, TurnContext ctx, long turn) {
        if (next == Next.ANOTHER_STEP) {
            run(ctx, turn);
        }
    }

    /** The turn's LLM steps, refused before the first one when the user's budget is used up (docs/protocol.md). */
    void run(TurnContext ctx, long turn) {
        try {
            checkBudget(ctx);
            steps(ctx, turn);
        } catch (BudgetExceeded e) {
            ctx.sink().send(Events.error(e.getMessage(), ErrorCode.BUDGET_EXCEEDED));
            TurnEnd.finish(ctx, turn, DoneReason.ERROR);
        }
    }

    /** Warns once past the soft limit; throws past a hard one. A user-less (service) turn has no budget. */
    private void checkBudget(TurnContext ctx) {
        if (ctx.userId() == null) {
            return;
        }
        usage.budgetStatus(ctx.userId(), ctx.requestId()).ifPresent(status -> {
            if (status.exceeded()) {
                throw new BudgetExceeded(status.message());
            }
            if (status.warnNow()) {
                ctx.sink().send(Events.usageWarning(status.message(), status.limit(), status.resetsAt()));
            }
        });
    }

    private void steps(TurnContext ctx, long turn) {
        Next next = Next.ANOTHER_STEP;
        while (next == Next.ANOTHER_STEP) {
            if (ctx.cancellation().isCancelled()) {
                TurnEnd.finish(ctx, turn, DoneReason.CANCELLED);
                return;
            }
            Session session = ctx.session();
            AgentType agent = session.currentAgent();
            if (agent == AgentType.ORCHESTRATOR) {
                // the orchestrator only routes: whenever it is current, the task goes to a specialist first
                switches.route(ctx, lastUserText(ctx));
                continue;
            }
            if (stepsTaken(ctx) >= settings.maxSteps()) {
                TurnEnd.stopAtStepLimit(
                        ctx,
                        turn,
                        agent,
                        "I stopped after " + settings.maxSteps()
                                + " steps without finishing the task. Send a message to let me continue.");
                return;
            }
            Optional<LlmCompletion> completion = modelStep.run(ctx, turn, session, agent);
            next = completion.isEmpty() ? Next.STREAM_ENDED : actions.act(ctx, turn, agent, completion.get());
        }
    }

    private static int stepsTaken(TurnContext ctx) {
        return Turns.open(ctx.sql(), ctx.sessionId()).map(Turns.Turn::steps).orElse(0);
    }

    private static String lastUserText(TurnContext ctx) {
        List<Message> all = MessageStore.all(ctx.sql(), ctx.sessionId());
        return all.reversed().stream()
                .filter(m -> m.role().equals("user"))
                .map(Message::content)
                .findFirst()
                .orElse("");
    }
}
