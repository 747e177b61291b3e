package dev.codelab.shared.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A PostgreSQL address in either form operators use: {@code jdbc:postgresql://host:port/db?user=..} or the
 * original's {@code postgresql://user:password@host:port/db} (also {@code postgres://} and
 * {@code postgresql+asyncpg://}), turned into a JDBC URL plus credentials.
 */
public record PostgresUrl(String jdbcUrl, Optional<String> username, Optional<String> password) {

    public static PostgresUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("A database URL is required");
        }
        if (url.startsWith("jdbc:")) {
            return new PostgresUrl(url, Optional.empty(), Optional.empty());
        }
        URI uri = URI.create(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.startsWith("postgres")) {
            throw new IllegalArgumentException("Not a PostgreSQL URL (scheme " + scheme + ")");
        }
        String hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            password = colon < 0 ? Optional.empty() : Optional.of(decode(userInfo.substring(colon + 1)));
        }
        return new PostgresUrl("jdbc:postgresql://" + hostPort + uri.getRawPath() + query, user, password);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PostgresUrl[" + jdbcUrl + "]";
    }
}
