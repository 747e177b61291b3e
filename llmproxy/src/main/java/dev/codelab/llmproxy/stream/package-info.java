/**
 * The caller's side of a streamed answer: SSE chunks written as they arrive, keep-alives, and the provider's
 * first-token and gap timeouts ({@code CallerStream}).
 */
package dev.codelab.llmproxy.stream;
