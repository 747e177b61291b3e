package dev.codelab.agent.turn;

/** What follows an action of the turn. */
enum Next {
    /** The model is asked again: it has a tool result to read, or another agent took over. */
    ANOTHER_STEP,
    /** This request's stream has ended with its {@code done}: the turn ended, or it waits for the IDE. */
    STREAM_ENDED
}
