/**
 * The HTTP API of the runtime: the turn stream ({@code POST /agent/message/stream}), sessions and their history,
 * the agent list, and which sessions a caller may use ({@code SessionAccess}). It checks requests and takes the
 * session's lease; the turn itself runs in {@code turn}.
 */
package dev.codelab.agent.api;
