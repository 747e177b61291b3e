/**
 * The HTTP surface: {@code POST /v1/chat/completions} (request checks, then routing and, for streams, the
 * {@code stream} package), the model lists, readiness, and OpenAI-shaped errors with real HTTP statuses.
 */
package dev.codelab.llmproxy.api;
