/**
 * The agent loop of one request: a client frame ({@code TurnInput}) checked against the stored state, then run
 * under the session lease; each step streams one LLM completion and acts on its first tool call, and every stream
 * ends with exactly one {@code done}. Events and their wire words ({@code DoneReason}, {@code ErrorCode}) are here.
 */
package dev.codelab.agent.turn;
