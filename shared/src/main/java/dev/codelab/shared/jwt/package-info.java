/**
 * Access tokens on the resource-server side: RS256 verification of the auth service's JWTs against its JWKS (or, inside
 * auth, its key ring) and the claims a service acts on.
 */
package dev.codelab.shared.jwt;
