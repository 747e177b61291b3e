/**
 * The auth service, an OAuth2 authorization server: its wiring ({@code AuthApp}), settings ({@code AuthSettings}, env
 * {@code AUTH_SERVICE__*}) and the rows every deployment starts with ({@code Seed}). The packages below hold one
 * concern each.
 */
package dev.codelab.auth;
