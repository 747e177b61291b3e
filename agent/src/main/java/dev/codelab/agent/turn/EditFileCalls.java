package dev.codelab.agent.turn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.approval.Decision;
import dev.codelab.agent.edit.EditOutcome;
import dev.codelab.agent.edit.EditRequest;
import dev.codelab.agent.edit.TextEdits;
import dev.codelab.agent.edit.UnifiedDiff;
import dev.codelab.agent.store.Approvals;
import dev.codelab.agent.store.FileEdits;
import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.tools.ToolCall;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.http.Json;
import java.util.function.Consumer;

/**
 * {@code edit_file} is composed of the IDE tools every IDE has: the IDE reads the file ({@code <call_id>.read}),
 * the runtime applies the edits, and the IDE writes the result ({@code <call_id>.write}) through the approval
 * policy like any write. The model's call is answered once, when the write is done or the edit failed.
 */
final class EditFileCalls {

    private final IdeCalls ideCalls;

    EditFileCalls(IdeCalls ideCalls) {
        this.ideCalls = ideCalls;
    }

    /** The model called {@code edit_file}: the IDE is asked to read the file (no approval unless the policy asks). */
    Next start(TurnContext ctx, long turn, AgentType agent, ModelToolCall modelCall) {
        ToolCall call = modelCall.call();
        ObjectNode readArguments = Json.MAPPER
                .createObjectNode()
                .put("path", call.arguments().path("path").asText());
        ToolCall read =
                new ToolCall(FileEdits.Stage.READING.ideCallId(call.id()), "read_file", Json.write(readArguments));
        Decision decision = ideCalls.decide(read);
        if (decision.verdict() == Decision.Verdict.DENY) {
            modelCall.storeWithError(ctx, "the approval policy refused to read the file: " + decision.reason());
            return Next.ANOTHER_STEP;
        }
        ideCalls.offer(ctx, turn, agent, read, decision, null, tx -> {
            MessageStore.append(tx, ctx.sessionId(), modelCall.message());
            FileEdits.start(tx, ctx.sessionId(), call.id());
        });
        return Next.STREAM_ENDED;
    }

    /**
     * The IDE read the file: the edits are applied here and the result goes back to the IDE as one
     * {@code write_file}; a failed edit (or a refused write) is the model's tool result, and the turn goes on.
     */
    Next read(
            TurnContext ctx,
            long turn,
            AwaitedCall awaited,
            TurnInput.ToolResult result,
            Consumer<Sql> decideImplicitly) {
        AgentType agent = awaited.agentOr(ctx.session().currentAgent());
        ToolCall call = awaited.call();
        EditRequest request = EditRequest.of(call.arguments());
        EditOutcome outcome = TextEdits.apply(request, result.result(), result.error());
        if (outcome instanceof EditOutcome.Failed failed) {
            return answerWithError(ctx, awaited, failed.message(), decideImplicitly);
        }
        EditOutcome.Applied applied = (EditOutcome.Applied) outcome;
        ToolCall write = writeCall(call, request.path(), applied.after());
        Decision decision = ideCalls.decide(write);
        if (decision.verdict() == Decision.Verdict.DENY) {
            return answerWithError(ctx, awaited, ToolResultTexts.refusedByPolicy(decision.reason()), decideImplicitly);
        }
        ideCalls.offer(
                ctx,
                turn,
                agent,
                write,
                decision,
                UnifiedDiff.of(request.path(), applied.before(), applied.after()),
                decideImplicitly.andThen(tx -> FileEdits.writing(tx, ctx.sessionId(), call.id())));
        return Next.STREAM_ENDED;
    }

    /** The edit ends in an error the model reads as its call's result; the model goes on. */
    private static Next answerWithError(
            TurnContext ctx, AwaitedCall awaited, String error, Consumer<Sql> decideImplicitly) {
        TurnHistory.answer(ctx, awaited.call(), awaited.errorResult(error), decideImplicitly);
        return Next.ANOTHER_STEP;
    }

    /** The IDE call that writes the edited text. */
    private static ToolCall writeCall(ToolCall editCall, String path, String content) {
        ObjectNode arguments = Json.MAPPER.createObjectNode().put("path", path).put("content", content);
        return new ToolCall(FileEdits.Stage.WRITING.ideCallId(editCall.id()), "write_file", Json.write(arguments));
    }

    /** The model's result of an {@code edit_file} call whose write the IDE answered. */
    static String written(TurnContext ctx, ToolCall call, TurnInput.ToolResult result) {
        EditRequest request = EditRequest.of(call.arguments());
        if (result.error() != null) {
            return "Error: the edited " + request.path() + " was not written: " + result.error();
        }
        boolean changedByUser = Approvals.find(ctx.sql(), ctx.sessionId(), FileEdits.Stage.WRITING.ideCallId(call.id()))
                .map(a -> a.status() == Approvals.Status.EDITED)
                .orElse(false);
        int edits = request.edits().size();
        return "Edited " + request.path() + " (" + edits + (edits == 1 ? " edit" : " edits") + " applied"
                + (changedByUser
                        ? "; the user changed the content before it was written: read_file it before "
                                + "editing it again"
                        : "")
                + "): " + ToolResultTexts.of(result.result(), null);
    }
}
