/**
 * Watchdogs: {@link dev.codelab.shared.watch.IdleWatch}, the one virtual thread per stream or poll that acts after
 * a silence (SSE keep-alives, idle and first-token timeouts, periodic polls).
 */
package dev.codelab.shared.watch;
