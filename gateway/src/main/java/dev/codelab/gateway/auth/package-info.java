/**
 * Bearer tokens at the gateway: where clients put them (header, query, WebSocket subprotocol), their local verification
 * against the auth service's JWKS, and the RFC 6750 answers to a bad or insufficient token.
 */
package dev.codelab.gateway.auth;
