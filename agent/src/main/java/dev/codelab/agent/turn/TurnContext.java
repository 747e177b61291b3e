package dev.codelab.agent.turn;

import java.sql.Connection;

import dev.codelab.agent.llm.Cancellation;

/**
 * One request's hold on a session: the locked connection all its writes go through, where its events go, and its
 * cancel switch.
 */
public record TurnContext(Connection connection, String sessionId, String requestId, EventSink sink,
                          Cancellation cancellation) {
}
