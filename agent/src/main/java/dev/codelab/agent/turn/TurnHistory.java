package dev.codelab.agent.turn;

import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.store.Approvals;
import dev.codelab.agent.store.FileEdits;
import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.store.MessageStore.NewMessage;
import dev.codelab.agent.tools.ToolCall;
import dev.codelab.shared.db.Sql;
import java.util.function.Consumer;

/** What a turn adds to the session's history (each in one transaction under the lease), and the events it shows. */
final class TurnHistory {

    private TurnHistory() {}

    /** Stores a message the runtime itself says to the user and sends it as one final frame. */
    static void say(TurnContext ctx, AgentType agent, String text) {
        ctx.write(tx -> MessageStore.append(tx, ctx.sessionId(), NewMessage.assistant(agent.id(), text)));
        ctx.sink().send(Events.finalMessage(text, text, agent));
    }

    /** Stores the model's call's result (with what else belongs in that transaction); ends any edit in progress. */
    static void answer(TurnContext ctx, ToolCall call, String content, Consumer<Sql> alsoInTransaction) {
        ctx.write(tx -> {
            alsoInTransaction.accept(tx);
            MessageStore.append(tx, ctx.sessionId(), NewMessage.toolResult(call.id(), content));
            FileEdits.clear(tx, ctx.sessionId());
        });
    }

    /** Answers a tool call still waiting for the IDE, so the history stays valid when the user moves on. */
    static void answerAwaitedCall(TurnContext ctx, String result) {
        ctx.awaitedCall()
                .ifPresent(awaited -> ctx.write(tx -> {
                    MessageStore.append(
                            tx,
                            ctx.sessionId(),
                            NewMessage.toolResult(awaited.call().id(), result));
                    Approvals.expireAll(tx, ctx.sessionId());
                    FileEdits.clear(tx, ctx.sessionId());
                }));
    }
}
