/**
 * The IDE WebSocket (docs/protocol.md): the upgrade decided before the {@code 101}, one socket per connection with its
 * reader, worker and writer, the turn piped from the agent's SSE stream, and the session's frames numbered, stored in
 * Redis and replayed, so that a client may reconnect to any replica and miss nothing.
 */
package dev.codelab.gateway.ws;
