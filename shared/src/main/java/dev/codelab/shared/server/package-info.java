/**
 * Hosting services: a service's routes apart from the server that runs them (alone or several in one JVM), and the
 * liveness and readiness answers every service gives.
 */
package dev.codelab.shared.server;
