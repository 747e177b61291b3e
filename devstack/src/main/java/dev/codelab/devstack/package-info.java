/**
 * The four services in one JVM, wired once: {@link dev.codelab.devstack.ServiceStack} starts auth, llmproxy,
 * agent and gateway each on its own server; {@link dev.codelab.devstack.DevStack} adds the databases and Redis
 * (embedded unless given), the demo user and the public entry point that serves what nginx serves. Started by
 * {@code codelab up}, the load bench and the system tests.
 */
package dev.codelab.devstack;
