/**
 * The gateway, the one public entry of the backend: the REST API under {@code /api/v1} and the IDE WebSocket, wired
 * here from its settings ({@code GatewaySettings}, env {@code GATEWAY__*}). It verifies access tokens locally, enforces
 * ownership and limits, and talks to the agent runtime over HTTP; what replicas must agree on lives in Redis.
 */
package dev.codelab.gateway;
