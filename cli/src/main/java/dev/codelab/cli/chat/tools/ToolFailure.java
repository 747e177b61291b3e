package dev.codelab.cli.chat.tools;

/** A tool could not do what it was asked; the message goes back to the agent as the {@code tool_result} error. */
public final class ToolFailure extends Exception {

    public ToolFailure(String message) {
        super(message);
    }
}
