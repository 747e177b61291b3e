package dev.codelab.agent.turn;

import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.store.MessageStore.NewMessage;
import dev.codelab.agent.tools.ToolCall;

/**
 * The model's answer that calls a tool: the message to store, its first call (the only one that runs) and how
 * many calls beside it were dropped.
 */
record ModelToolCall(NewMessage message, ToolCall call, int dropped) {

    /** Stores the answer and the call's result at once: the runtime answered the call itself. */
    void storeWithResult(TurnContext ctx, String result) {
        ctx.write(tx -> {
            MessageStore.append(tx, ctx.sessionId(), message);
            MessageStore.append(tx, ctx.sessionId(), NewMessage.toolResult(call.id(), result));
        });
    }

    /** Stores the answer with an error as its result, telling the model of any calls that were dropped. */
    void storeWithError(TurnContext ctx, String error) {
        storeWithResult(ctx, "Error: " + error + ToolResultTexts.droppedNote(dropped));
    }
}
