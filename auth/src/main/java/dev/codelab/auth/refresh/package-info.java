/**
 * Opaque rotating refresh tokens, stored only as hashes: one family per login, rotated atomically, the whole family
 * revoked when a used token comes back.
 */
package dev.codelab.auth.refresh;
