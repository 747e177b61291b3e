package dev.codelab.agent.turn;

import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.store.MessageStore.Message;
import dev.codelab.agent.tools.ToolCall;

/**
 * The model's tool call that waits for its result: the assistant message that made it and its (first) call.
 */
record AwaitedCall(Message message, ToolCall call) {

    AwaitedCall(Message message) {
        this(message, ToolCall.fromOpenAiArray(message.toolCalls()));
    }

    /** The agent that made the call; {@code current} when the message names none the runtime knows. */
    AgentType agentOr(AgentType current) {
        return AgentType.parse(message.agentName()).orElse(current);
    }

    /** The call's result as the model reads it, told of any calls that were dropped beside the call. */
    String result(String content) {
        return content + ToolResultTexts.droppedNote(message.droppedToolCalls());
    }

    /** An error as the call's result. */
    String errorResult(String error) {
        return result("Error: " + error);
    }
}
