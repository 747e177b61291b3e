package dev.codelab.auth.audit;

import java.util.Locale;

/** The {@code event_type} values of {@code audit_logs}. */
public enum AuditEvent {
    LOGIN_SUCCESS,
    LOGIN_FAILED,
    TOKEN_REFRESH,
    TOKEN_REVOKED,
    REFRESH_REUSE_DETECTED,
    LOCKOUT,
    RATE_LIMITED,
    USER_CREATED,
    USER_DISABLED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
