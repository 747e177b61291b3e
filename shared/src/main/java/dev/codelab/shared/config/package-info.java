/**
 * How every service reads its configuration: yaml defaults named after its config root, overridden by {@code ROOT__KEY}
 * environment variables, with guards against production running on development secrets.
 */
package dev.codelab.shared.config;
