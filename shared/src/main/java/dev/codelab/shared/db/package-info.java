/**
 * PostgreSQL for every service: a fair Hikari pool with Flyway migrations, statements through Helidon DbClient, column
 * reading, and the one mapping of database failures to answers (503 unavailable, the domain's 4xx for a broken
 * constraint, 500 otherwise).
 */
package dev.codelab.shared.db;
