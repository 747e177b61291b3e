/**
 * JMH micro-benchmarks of the hot paths (SSE parsing, JWT signing and verification, frame serialisation), run
 * with {@code java -jar bench/target/bench.jar}; the load scenarios are in {@code dev.codelab.bench.load}.
 */
package dev.codelab.bench;
