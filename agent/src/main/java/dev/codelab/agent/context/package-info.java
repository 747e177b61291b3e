/**
 * What the prompt of a step holds: the model's context window, the token estimate calibrated per session, the
 * history fitted into the window, and the condensing of old messages into a summary (the {@code context_condensed}
 * event) when it no longer fits.
 */
package dev.codelab.agent.context;
