package dev.codelab.agent.turn;

import dev.codelab.agent.store.Approvals;
import dev.codelab.agent.store.FileEdits;
import dev.codelab.agent.tools.ToolCall;
import dev.codelab.shared.db.Sql;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@code tool_result} from the IDE: the awaited call's result is stored and the loop goes on, unless it is a
 * step of an {@code edit_file} that asks the IDE for more. A result for a call that still asked for approval
 * decides it implicitly (approved, or rejected with the IDE's error).
 */
final class ToolResults {

    private final EditFileCalls editFileCalls;
    private final AgentLoop loop;

    ToolResults(EditFileCalls editFileCalls, AgentLoop loop) {
        this.editFileCalls = editFileCalls;
        this.loop = loop;
    }

    void receive(TurnContext ctx, TurnInput.ToolResult result) {
        AwaitedCall awaited = ctx.awaitedCall().orElseThrow();
        ToolCall call = awaited.call();
        Optional<FileEdits.Stage> edit = FileEdits.stage(ctx.sql(), ctx.sessionId(), call.id());
        Consumer<Sql> decideImplicitly = implicitDecision(ctx, result);
        if (edit.isPresent() && edit.get() == FileEdits.Stage.READING) {
            long turn = ctx.openTurn();
            loop.runIf(editFileCalls.read(ctx, turn, awaited, result, decideImplicitly), ctx, turn);
            return;
        }
        String content = edit.isPresent()
                ? EditFileCalls.written(ctx, call, result)
                : ToolResultTexts.of(result.result(), result.error());
        TurnHistory.answer(ctx, call, awaited.result(content), decideImplicitly);
        loop.run(ctx, ctx.openTurn());
    }

    private static Consumer<Sql> implicitDecision(TurnContext ctx, TurnInput.ToolResult result) {
        boolean pending = Approvals.findPending(ctx.sql(), ctx.sessionId(), result.callId())
                .isPresent();
        return tx -> {
            if (!pending) {
                return;
            }
            if (result.error() == null) {
                Approvals.approve(tx, ctx.sessionId(), result.callId());
            } else {
                Approvals.reject(tx, ctx.sessionId(), result.callId(), result.error());
            }
        };
    }
}
