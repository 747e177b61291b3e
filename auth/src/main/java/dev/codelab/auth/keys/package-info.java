/**
 * The RS256 signing keys every replica shares: stored encrypted in {@code signing_keys}, published before they sign,
 * retired after, deleted once no token they signed can still be valid.
 */
package dev.codelab.auth.keys;
