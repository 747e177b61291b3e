/**
 * Retrying a call to another service: {@link dev.codelab.shared.retry.Backoff}, the wait before each retry, with
 * the jitter and the bound on a server's {@code Retry-After} chosen by each caller (the agent's LLM client and
 * llmproxy's router).
 */
package dev.codelab.shared.retry;
