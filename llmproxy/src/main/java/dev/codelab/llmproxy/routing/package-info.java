/**
 * Which deployment serves a request: {@code DeploymentRouter} tries an alias's deployments in weighted order with
 * retries and backoff, rests failing deployments, skips windows too small for the prompt, then the fallbacks.
 */
package dev.codelab.llmproxy.routing;
