/**
 * What the client library's tests talk to: a fake CodeLab server (REST routes and the IDE WebSocket) whose
 * sessions are scripted, and a TCP proxy that can cut connections mid-stream.
 */
package dev.codelab.client.testing;
