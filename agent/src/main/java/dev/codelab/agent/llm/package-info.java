/**
 * The client of the LLM proxy: streamed and JSON completions with retries while nothing was forwarded, whom a call
 * is metered for ({@code LlmCall}), the failures a turn tells apart (a timeout, a refused budget, a cancel) and the
 * cancellation that interrupts a call in flight.
 */
package dev.codelab.agent.llm;
