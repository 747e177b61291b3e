package dev.codelab.agent.turn;

import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.approval.ApprovalPolicy;
import dev.codelab.agent.approval.Decision;
import dev.codelab.agent.edit.KnownContent;
import dev.codelab.agent.edit.UnifiedDiff;
import dev.codelab.agent.store.Approvals;
import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.tools.ToolCall;
import dev.codelab.shared.db.Sql;
import java.util.function.Consumer;

/**
 * Calls the IDE runs: the approval policy's verdict, the pending approval when it asks the user, and the
 * {@code tool_call} event, after which this request's stream ends waiting for the IDE.
 */
final class IdeCalls {

    private final ApprovalPolicy policy;

    IdeCalls(ApprovalPolicy policy) {
        this.policy = policy;
    }

    Decision decide(ToolCall ideCall) {
        return policy.decide(ideCall.name(), ideCall.arguments());
    }

    /** The model's call of an IDE tool: refused by the policy (the model is told), or sent to the IDE. */
    Next run(TurnContext ctx, long turn, AgentType agent, ModelToolCall modelCall) {
        ToolCall call = modelCall.call();
        Decision decision = decide(call);
        if (decision.verdict() == Decision.Verdict.DENY) {
            modelCall.storeWithError(ctx, ToolResultTexts.refusedByPolicy(decision.reason()));
            return Next.ANOTHER_STEP;
        }
        offer(
                ctx,
                turn,
                agent,
                call,
                decision,
                writeDiff(ctx, call),
                tx -> MessageStore.append(tx, ctx.sessionId(), modelCall.message()));
        return Next.STREAM_ENDED;
    }

    /**
     * Sends a call to the IDE the policy allows or asks about, and ends this request waiting for the IDE. The
     * state is committed before the event leaves, so a crash cannot lose an approval the IDE already shows.
     */
    void offer(
            TurnContext ctx,
            long turn,
            AgentType agent,
            ToolCall ideCall,
            Decision decision,
            String diff,
            Consumer<Sql> state) {
        boolean ask = decision.verdict() == Decision.Verdict.ASK;
        ctx.write(tx -> {
            state.accept(tx);
            if (ask) {
                Approvals.insert(tx, ctx.sessionId(), ideCall, decision.reason(), diff);
            }
        });
        ctx.sink()
                .send(
                        ask
                                ? Events.toolCallAskingApproval(ideCall, decision.reason(), agent, diff)
                                : Events.toolCall(ideCall, agent, diff));
        TurnEnd.finish(ctx, turn, ask ? DoneReason.AWAITING_APPROVAL : DoneReason.AWAITING_TOOL);
    }

    /** The diff of a {@code write_file} over the content this turn knows the file has; null when it knows none. */
    private static String writeDiff(TurnContext ctx, ToolCall call) {
        if (!call.name().equals("write_file")) {
            return null;
        }
        String path = call.arguments().path("path").asText();
        return KnownContent.of(MessageStore.all(ctx.sql(), ctx.sessionId()), path)
                .map(before -> UnifiedDiff.of(
                        path, before, call.arguments().path("content").asText()))
                .filter(diff -> !diff.isEmpty())
                .orElse(null);
    }
}
