package dev.codelab.shared.jwt;

import dev.codelab.shared.hop.HopClient;
import dev.codelab.shared.hop.HopResponse;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The auth service's published keys, fetched from its JWKS endpoint and cached. An unknown {@code kid}
 * triggers a refetch at most once per {@link #REFETCH_INTERVAL}; when the auth service cannot be reached the
 * last good copy stays in use (and {@link #isStale()} says so).
 */
public final class JwksSource implements VerificationKeys {

    static final Duration REFETCH_INTERVAL = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(JwksSource.class.getName());

    private final URI uri;
    private final HopClient http;
    private final Clock clock;
    private volatile JwkKeys keys = JwkKeys.builder().build();
    private volatile long lastAttemptMillis = Long.MIN_VALUE / 2;
    private volatile boolean stale = true;

    public JwksSource(URI uri, Clock clock) {
        this.uri = uri;
        this.clock = clock;
        this.http = new HopClient("auth", Duration.ofSeconds(5));
    }

    /** The key named {@code kid}, refetching the set once if it is unknown and the last fetch is old enough. */
    @Override
    public Optional<Jwk> key(String kid) {
        Optional<Jwk> key = keys.forKeyId(kid);
        return key.isPresent() ? key : refetchFor(kid);
    }

    @Override
    public boolean has(String kid) {
        return keys.forKeyId(kid).isPresent();
    }

    /**
     * Under the fetch's lock, so that a caller arriving while another one's fetch is in flight waits for it
     * and finds the key, instead of seeing the fresh attempt time and being refused (concurrent first
     * requests after a start or a key rotation got 401).
     */
    private synchronized Optional<Jwk> refetchFor(String kid) {
        Optional<Jwk> key = keys.forKeyId(kid);
        if (key.isEmpty() && clock.millis() - lastAttemptMillis >= REFETCH_INTERVAL.toMillis()) {
            refresh();
            key = keys.forKeyId(kid);
        }
        return key;
    }

    /** Fetches the key set now; keeps the old one on failure. */
    public synchronized void refresh() {
        lastAttemptMillis = clock.millis();
        try (HopResponse response = http.exchange(HttpRequest.newBuilder(uri), Duration.ofSeconds(5), null)) {
            if (response.status() != 200) {
                throw new IllegalStateException("JWKS answered " + response.status());
            }
            try (var reader = jakarta.json.Json.createReader(new StringReader(response.text()))) {
                JsonObject json = reader.readObject();
                keys = JwkKeys.create(json);
            }
            stale = false;
        } catch (Exception e) {
            stale = true;
            LOG.log(Level.WARNING, "Cannot fetch JWKS from " + uri + ", keeping the cached keys: " + e.getMessage());
        }
    }

    /** {@code true} until the first successful fetch, and after a failed one. */
    public boolean isStale() {
        return stale;
    }
}
