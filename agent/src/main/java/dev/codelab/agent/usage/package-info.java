/**
 * Usage and budgets, kept by the LLM proxy: the budget check before a turn's first LLM call ({@code UsageProxy})
 * and the {@code /usage} and {@code /budgets} endpoints that pass the proxy's answers on.
 */
package dev.codelab.agent.usage;
