/**
 * The gateway's side of the hop to the agent runtime: its REST calls and its SSE turn stream over one JDK client, the
 * session ids the gateway accepts, and what a failure of the agent becomes for the IDE (502, 503, 504, never 401).
 */
package dev.codelab.gateway.agent;
