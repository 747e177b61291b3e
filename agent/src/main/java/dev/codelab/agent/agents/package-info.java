/**
 * The five agents: what each is for and may call ({@code AgentType}), their system prompts, and the
 * orchestrator's routing of a task to a specialist ({@code AgentRouter}, an LLM classification with a keyword
 * fallback); a change of agent is an {@code AgentSwitch}.
 */
package dev.codelab.agent.agents;
