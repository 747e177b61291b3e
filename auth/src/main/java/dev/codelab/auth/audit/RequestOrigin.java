package dev.codelab.auth.audit;

/**
 * Where a request came from, as recorded in audit rows: the resolved client IP and the {@code User-Agent}.
 * {@link #LOCAL} stands for administrative actions from the {@code codelab} command.
 */
public record RequestOrigin(String ip, String userAgent) {

    public static final RequestOrigin LOCAL = new RequestOrigin(null, "codelab-cli");
}
