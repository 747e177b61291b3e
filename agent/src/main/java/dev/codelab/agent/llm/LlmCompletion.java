package dev.codelab.agent.llm;

import dev.codelab.agent.tools.ToolCall;
import java.util.List;

/**
 * One finished LLM answer: its text, its tool calls in index order, and the token usage the proxy reported.
 */
public record LlmCompletion(String text, List<ToolCall> toolCalls, int promptTokens, int completionTokens) {}
