/**
 * The reliability and security suite (docs/reliability.md): the four real services through
 * {@link dev.codelab.systemtests.reliability.SystemStack}, fuzzed, attacked across users and failed mid-flight
 * (agent, model provider, Redis, PostgreSQL), each failure expected to end in the documented shape; and the soak
 * run, only with {@code -Dcodelab.long=true}.
 */
package dev.codelab.systemtests.reliability;
