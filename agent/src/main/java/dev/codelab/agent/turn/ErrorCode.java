package dev.codelab.agent.turn;

/** The {@code error_code} of an {@code error} event (docs/protocol.md). */
public enum ErrorCode {
    /** The model called a tool its agent may not use; it is told and tries again. */
    TOOL_NOT_ALLOWED,
    STEP_LIMIT_REACHED,
    BUDGET_EXCEEDED,
    LLM_TIMEOUT,
    LLM_ERROR,
    INTERNAL_ERROR;

    public String wire() {
        return name();
    }
}
