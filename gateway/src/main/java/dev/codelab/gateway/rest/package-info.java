/**
 * The public REST API under {@code /api/v1}: the guard every route passes (rate limit, token, scope), the routes
 * forwarded to the agent runtime with the caller's id, how the agent's answers are passed on, usage and budgets, and
 * the checks of {@code /api/v1/health}.
 */
package dev.codelab.gateway.rest;
