/**
 * The token, revoke and introspect endpoints: the three grants, the scope a request is granted, and the signed access
 * tokens themselves.
 */
package dev.codelab.auth.token;
