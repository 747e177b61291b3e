/**
 * The LLM proxy service: one OpenAI-compatible endpoint in front of every model provider. {@code LlmProxyApp}
 * wires the packages below into the Helidon routing; {@code Main} runs it alone (docs/llmproxy.md).
 */
package dev.codelab.llmproxy;
