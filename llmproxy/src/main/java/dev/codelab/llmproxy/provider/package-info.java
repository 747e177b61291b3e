/**
 * Talking to model providers. Each protocol is a {@code ProviderMapper} with no I/O (OpenAI, Anthropic, Ollama:
 * request, answer, and a {@code StreamMapper} per streamed answer); {@code HttpProvider} carries any of them over
 * {@code UpstreamHttp}, the one HTTP client (status errors as {@code ProviderException}, timeouts, the stream guard).
 */
package dev.codelab.llmproxy.provider;
