/**
 * The audit trail: the {@code audit_logs} rows written inside the transaction of the change they describe, the events
 * they name, and where each request came from (client IP, {@code User-Agent}).
 */
package dev.codelab.auth.audit;
