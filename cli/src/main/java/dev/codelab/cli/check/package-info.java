/**
 * {@code codelab check}: walks a running deployment through the seed flow over HTTP and the IDE WebSocket (and,
 * with the internal key, the internal examples and a second replica), stopping at the first answer that breaks the
 * contract with a {@link dev.codelab.cli.check.CheckFailed} that says which.
 */
package dev.codelab.cli.check;
