/**
 * The agent runtime service: its wiring ({@code AgentApp}: database, LLM client, routing, {@code /health} and
 * {@code /ready}), its entry point and all of its configuration ({@code AgentSettings}). The concerns live in the
 * packages below: HTTP in {@code api}, the loop in {@code turn}, SQL in {@code store}.
 */
package dev.codelab.agent;
