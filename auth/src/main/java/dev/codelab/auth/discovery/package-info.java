/**
 * What resource servers and clients discover about this server: the JWKS of every published key and the RFC 8414
 * metadata.
 */
package dev.codelab.auth.discovery;
