/**
 * Real PostgreSQL and Redis servers from embedded binaries, for the dev stack and the tests; the binaries are optional
 * dependencies of this module.
 */
package dev.codelab.shared.embedded;
