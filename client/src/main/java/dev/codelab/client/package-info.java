/**
 * A small client library for the CodeLab backend: log in, keep tokens fresh, manage sessions and talk to
 * the agents over the IDE WebSocket. Built on the JDK {@code HttpClient} and {@code WebSocket} only (plus
 * Jackson), so IDE plug-ins and scripts can embed it.
 */
package dev.codelab.client;
