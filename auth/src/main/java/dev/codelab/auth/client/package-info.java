/**
 * OAuth clients: the {@code oauth_clients} table and how a request's client is identified, confidential clients by
 * their secret (Basic or form), public clients by id alone.
 */
package dev.codelab.auth.client;
