package dev.codelab.shared.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it looks sane, else a new one), echoes it
 * in the response, and logs one line per request: method, path, status, milliseconds, request id.
 * The query string is never logged: it may carry an access token.
 *
 * <p>The line is logged through {@code java.util.logging} with its source given: for a record without one the
 * services' formatter finds the caller by walking the stack, which made each line cost 4.1 instead of 1.0 µs
 * ({@code AccessLogBenchmark}, docs/benchmarks.md).
 */
public final class RequestLog implements Filter {

    public static final HeaderName HEADER = HeaderNames.create("X-Request-Id");
    /** Context key under which handlers find the request id (a {@code String}). */
    public static final String CONTEXT_KEY = "codelab.request-id";

    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private static final String SOURCE = RequestLog.class.getName();

    private final Logger log;

    public RequestLog(String service) {
        this.log = Logger.getLogger("codelab." + service + ".access");
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String id = req.headers()
                .value(HEADER)
                .filter(v -> SANE_ID.matcher(v).matches())
                .orElseGet(RequestLog::newId);
        req.context().register(CONTEXT_KEY, id);
        res.header(HEADER, id);
        try {
            chain.proceed();
        } finally {
            long ms = (System.nanoTime() - start) / 1_000_000;
            log.logp(
                    Level.INFO,
                    SOURCE,
                    "filter",
                    () -> req.prologue().method().text() + " "
                            + req.path().absolute().path() + " " + res.status().code() + " " + ms + "ms rid=" + id);
        }
    }

    /** The id of the request being handled, for propagation to the next hop. */
    public static String idOf(io.helidon.webserver.http.ServerRequest req) {
        return req.context().get(CONTEXT_KEY, String.class).orElseGet(RequestLog::newId);
    }

    /** A random UUID for tracing, not a secret: drawn from a thread-local generator, not SecureRandom. */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L;
        long low = random.nextLong() & ~(0xC000_0000_0000_0000L) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
