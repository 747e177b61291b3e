/**
 * Server-sent events both ways: a blocking reader that turns a {@code text/event-stream} body into events, and a writer
 * that sends and flushes them one by one.
 */
package dev.codelab.shared.sse;
