/**
 * Every example of the user's API overview, run as written against {@code codelab up}'s stack: the curls through
 * a small curl interpreter, the WebSocket and client examples translated line by line.
 */
package dev.codelab.systemtests.seed;
