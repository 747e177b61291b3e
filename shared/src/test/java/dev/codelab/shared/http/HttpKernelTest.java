package dev.codelab.shared.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.codelab.shared.testing.LogRecords;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * The filters and error handlers every service installs, on a real socket.
 */
@ServerTest
class HttpKernelTest {

    private final Http1Client client;

    HttpKernelTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.addFilter(new RequestLog("test"));
        routing.addFilter(new InternalAuthFilter("s3cret-key", Set.of("/health")));
        ErrorBodies.register(routing);
        routing.get("/health", (req, res) -> res.send("ok"))
                .get("/private", (req, res) -> res.send("secret"))
                .get("/boom", (req, res) -> {
                    throw new IllegalStateException("internal detail that must not leak");
                })
                .get("/api-error", (req, res) -> {
                    throw new ApiException(
                            Status.CONFLICT_409, "turn_in_progress", "A turn is running", Map.of("session_id", "s1"));
                })
                .get("/limited", (req, res) -> ErrorBodies.tooManyRequests(res, 42));
    }

    @Test
    void internalPathsNeedTheKey() {
        try (HttpClientResponse res = client.get("/private").request()) {
            assertThat(res.status(), is(Status.UNAUTHORIZED_401));
            assertThat(res.as(String.class), is("""
                    {"error":"unauthorized","message":"Missing or invalid internal API key","details":{}}"""));
        }
        try (HttpClientResponse res = client.get("/private")
                .header(InternalAuthFilter.HEADER, "s3cret-kez")
                .request()) {
            assertThat(res.status(), is(Status.UNAUTHORIZED_401));
        }
        try (HttpClientResponse res = client.get("/private")
                .header(InternalAuthFilter.HEADER, "s3cret-key")
                .request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.as(String.class), is("secret"));
        }
    }

    @Test
    void healthIsOpen() {
        try (HttpClientResponse res = client.get("/health").request()) {
            assertThat(res.status(), is(Status.OK_200));
        }
    }

    @Test
    void unexpectedFailuresAnswerAGeneric500WithoutDetails() {
        try (HttpClientResponse res = client.get("/boom")
                .header(InternalAuthFilter.HEADER, "s3cret-key")
                .request()) {
            assertThat(res.status(), is(Status.INTERNAL_SERVER_ERROR_500));
            assertThat(res.as(String.class), is("""
                    {"error":"internal_error","message":"Internal server error","details":{}}"""));
        }
    }

    @Test
    void apiExceptionsBecomeTheDocumentedBody() {
        try (HttpClientResponse res = client.get("/api-error")
                .header(InternalAuthFilter.HEADER, "s3cret-key")
                .request()) {
            assertThat(res.status(), is(Status.CONFLICT_409));
            assertThat(res.as(String.class), is("""
                    {"error":"turn_in_progress","message":"A turn is running","details":{"session_id":"s1"}}"""));
        }
    }

    @Test
    void unknownPathsAnswer404InTheSameShape() {
        try (HttpClientResponse res = client.get("/nope")
                .header(InternalAuthFilter.HEADER, "s3cret-key")
                .request()) {
            assertThat(res.status(), is(Status.NOT_FOUND_404));
            assertThat(res.as(String.class), is("""
                    {"error":"not_found","message":"Not Found","details":{}}"""));
        }
    }

    @Test
    void tooManyRequestsCarriesRetryAfter() {
        try (HttpClientResponse res = client.get("/limited")
                .header(InternalAuthFilter.HEADER, "s3cret-key")
                .request()) {
            assertThat(res.status(), is(Status.TOO_MANY_REQUESTS_429));
            assertThat(
                    res.headers().get(io.helidon.http.HeaderNames.RETRY_AFTER).get(), is("42"));
            assertThat(res.as(String.class), is("""
                    {"error":"rate_limit_exceeded","message":"Too many requests","details":{},"retry_after":42}"""));
        }
    }

    @Test
    void requestIdsAreEchoedWhenSaneAndReplacedOtherwise() {
        try (HttpClientResponse res =
                client.get("/health").header(RequestLog.HEADER, "abc-123").request()) {
            assertThat(res.headers().get(RequestLog.HEADER).get(), is("abc-123"));
        }
        try (HttpClientResponse res = client.get("/health")
                .header(RequestLog.HEADER, "bad id with spaces")
                .request()) {
            String id = res.headers().get(RequestLog.HEADER).get();
            assertThat(id, not("bad id with spaces"));
            assertThat(id.matches("[0-9a-f-]{36}"), is(true));
            assertThat(
                    "a version-4 (random) UUID", java.util.UUID.fromString(id).version(), is(4));
            assertThat("IETF variant", java.util.UUID.fromString(id).variant(), is(2));
        }
        try (HttpClientResponse first = client.get("/health").request();
                HttpClientResponse second = client.get("/health").request()) {
            assertThat(
                    first.headers().get(RequestLog.HEADER).get(),
                    not(second.headers().get(RequestLog.HEADER).get()));
        }
    }

    @Test
    void everyRequestIsLoggedOnceWithoutItsQueryString() throws InterruptedException {
        List<LogRecord> records;
        try (LogRecords access = LogRecords.of("codelab.test.access")) {
            try (HttpClientResponse res = client.get("/private")
                    .queryParam("access_token", "t0ken")
                    .header(RequestLog.HEADER, "logged-once")
                    .request()) {
                assertThat(res.status(), is(Status.UNAUTHORIZED_401));
            }
            // Only this request's lines: an earlier test's request can still be logging, after its answer went out.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (ownLines(access).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(50);
            records = ownLines(access);
        }
        assertThat(records.size(), is(1));
        LogRecord line = records.getFirst();
        assertThat(line.getLevel(), is(Level.INFO));
        assertThat(line.getMessage().matches("GET /private 401 \\d+ms rid=logged-once"), is(true));
        assertThat(
                line.getSourceClassName() + "." + line.getSourceMethodName(),
                is(RequestLog.class.getName() + ".filter"));
    }

    private static List<LogRecord> ownLines(LogRecords access) {
        return access.all().stream()
                .filter(line -> line.getMessage().endsWith("rid=logged-once"))
                .toList();
    }
}
