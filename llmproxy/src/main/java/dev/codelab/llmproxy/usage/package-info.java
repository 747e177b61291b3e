/**
 * Usage, cost and budgets per user: every call metered into the proxy's database off the request path, daily
 * roll-ups, reports, and budgets checked before a call (docs/llmproxy.md, "Usage, cost and budgets").
 */
package dev.codelab.llmproxy.usage;
