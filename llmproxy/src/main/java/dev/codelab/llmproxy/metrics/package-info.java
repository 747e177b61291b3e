/**
 * The proxy's Prometheus meters (requests, errors, latency, time to first token, tokens, cost) by model alias and
 * provider.
 */
package dev.codelab.llmproxy.metrics;
