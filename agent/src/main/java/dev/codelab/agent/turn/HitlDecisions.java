package dev.codelab.agent.turn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.store.Approvals;
import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.tools.ToolCall;

/**
 * The user's {@code hitl_decision} on a call that asked for approval: approved (as asked or with edited
 * arguments), the call goes to the IDE; rejected, the model reads the user's reason and the loop goes on. The
 * call asked about is the model's own, or the read or write of its {@code edit_file}.
 */
final class HitlDecisions {

    private final AgentLoop loop;

    HitlDecisions(AgentLoop loop) {
        this.loop = loop;
    }

    void receive(TurnContext ctx, TurnInput.HitlDecision decision) {
        AwaitedCall awaited = ctx.awaitedCall().orElseThrow();
        AgentType agent = awaited.agentOr(ctx.session().currentAgent());
        long turn = ctx.openTurn();
        Approvals.Approval approval = Approvals.findPending(ctx.sql(), ctx.sessionId(), decision.callId())
                .orElseThrow();
        switch (decision.choice()) {
            case APPROVE -> {
                ctx.write(tx -> Approvals.approve(tx, ctx.sessionId(), approval.callId()));
                ctx.sink().send(Events.toolCall(approval.call(), agent, approval.diff()));
                TurnEnd.finish(ctx, turn, DoneReason.AWAITING_TOOL);
            }
            case EDIT -> {
                approveEdited(ctx, awaited, approval, decision.modifiedArguments());
                ToolCall edited = approval.call().withArguments(decision.modifiedArguments());
                ctx.sink().send(Events.toolCall(edited, agent, null));
                TurnEnd.finish(ctx, turn, DoneReason.AWAITING_TOOL);
            }
            case REJECT -> {
                reject(ctx, awaited, approval, decision.feedback());
                loop.run(ctx, turn);
            }
        }
    }

    /** The model reads the user's reason as the result of its call. */
    private static void reject(TurnContext ctx, AwaitedCall awaited, Approvals.Approval approval, String userFeedback) {
        String feedback = userFeedback == null || userFeedback.isBlank() ? "no reason given" : userFeedback;
        TurnHistory.answer(
                ctx,
                awaited.call(),
                awaited.result("rejected by the user: " + feedback),
                tx -> Approvals.reject(tx, ctx.sessionId(), approval.callId(), feedback));
    }

    /**
     * Records the edit; when the model's own call was edited, its stored arguments are replaced too, so the
     * history shows the call that ran (an {@code edit_file}'s read or write keeps the model's call as it was).
     */
    private static void approveEdited(
            TurnContext ctx, AwaitedCall awaited, Approvals.Approval approval, JsonNode modifiedArguments) {
        boolean modelsOwnCall = approval.callId().equals(awaited.call().id());
        ctx.write(tx -> {
            Approvals.approveEdited(tx, ctx.sessionId(), approval.callId(), modifiedArguments);
            if (modelsOwnCall) {
                MessageStore.replaceToolCalls(
                        tx,
                        awaited.message().id(),
                        awaited.call().withArguments(modifiedArguments).toOpenAiArray());
            }
        });
    }
}
