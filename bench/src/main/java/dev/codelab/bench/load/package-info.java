/**
 * {@code codelab bench}: the performance scenarios of docs/benchmarks.md against a stack the bench starts (the
 * dev stack in this JVM, or each service in a JVM of its own) over a paced fake upstream, with the load clients,
 * the statistics and the report that prints each result beside its target.
 */
package dev.codelab.bench.load;
