/**
 * One hop from a service to the next (the agent runtime, the LLM proxy, a provider): the JDK {@code HttpClient} tuned
 * for blocking calls from virtual threads, answers whose every read is bounded in time, and failures that name the
 * request they belong to.
 */
package dev.codelab.shared.hop;
