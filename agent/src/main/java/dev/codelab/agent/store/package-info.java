/**
 * The SQL of the runtime, one class per table (sessions, messages, turns, approvals, switches, file edits,
 * summaries), through the shared DbClient layer, and the per-session turn lease that fences every write of a turn.
 */
package dev.codelab.agent.store;
