/**
 * The terminal IDE: {@code login}, {@code chat}, {@code sessions} and {@code usage} on the Java client library,
 * playing the IDE part of a turn (frames shown as they stream, tool calls run in the workspace, approvals asked
 * for, reconnects with {@code last_seq}).
 */
package dev.codelab.cli.chat;
