package dev.codelab.auth.audit;

/**
 * Who made a request, as recorded in audit rows: the resolved client IP and the {@code User-Agent}.
 * {@link #LOCAL} stands for administrative actions from the {@code codelab} command.
 */
public record Caller(String ip, String userAgent) {

    public static final Caller LOCAL = new Caller(null, "codelab-cli");
}
