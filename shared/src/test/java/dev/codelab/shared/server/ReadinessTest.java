package dev.codelab.shared.server;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.server.Readiness.Impact;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

/** The readiness answer: a failed check's impact decides the status word and the HTTP status. */
@ServerTest
class ReadinessTest {

    private final Http1Client client;

    ReadinessTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.get("/all-up", readiness(true, true))
                .get("/degraded", readiness(true, false))
                .get("/failed", readiness(false, false))
                .get(
                        "/informative",
                        new Readiness(
                                "ready",
                                "not_ready",
                                "providers",
                                req -> new Readiness.Report()
                                        .field("default_model", "fake")
                                        .state("openai", "unreachable")
                                        .check("ollama", false, "reachable", "unreachable", Impact.NONE)))
                .get(
                        "/unmet",
                        new Readiness(
                                "ready",
                                "not_ready",
                                "providers",
                                req -> new Readiness.Report()
                                        .field("default_model", "gpt")
                                        .state("openai", "missing OPENAI_API_KEY")
                                        .require(false, Impact.FAILS)));
    }

    private static Readiness readiness(boolean core, boolean extra) {
        return new Readiness(
                "healthy",
                "degraded",
                "services",
                req -> new Readiness.Report()
                        .field("version", "1.2.3")
                        .check("core", core, "up", "down", Impact.FAILS)
                        .check("extra", extra, "connected", "unavailable", Impact.DEGRADES));
    }

    @Test
    void everyCheckUpIsTheReadyWordWith200AndTheFieldsBeforeTheGroup() {
        assertAnswer("/all-up", Status.OK_200, """
                {"status":"healthy","version":"1.2.3","services":{"core":"up","extra":"connected"}}""");
    }

    @Test
    void aDegradingCheckDownIsTheNotReadyWordStillWith200() {
        assertAnswer("/degraded", Status.OK_200, """
                {"status":"degraded","version":"1.2.3","services":{"core":"up","extra":"unavailable"}}""");
    }

    @Test
    void aFailingCheckDownIs503AndOutweighsADegradingOne() {
        assertAnswer("/failed", Status.SERVICE_UNAVAILABLE_503, """
                {"status":"degraded","version":"1.2.3","services":{"core":"down","extra":"unavailable"}}""");
    }

    @Test
    void statesWithoutImpactAreReportedOnly() {
        assertAnswer("/informative", Status.OK_200, """
                {"status":"ready","default_model":"fake",\
                "providers":{"openai":"unreachable","ollama":"unreachable"}}""");
    }

    @Test
    void anUnmetRequirementFailsWithoutAStateOfItsOwn() {
        assertAnswer("/unmet", Status.SERVICE_UNAVAILABLE_503, """
                {"status":"not_ready","default_model":"gpt","providers":{"openai":"missing OPENAI_API_KEY"}}""");
    }

    private void assertAnswer(String path, Status status, String body) {
        try (HttpClientResponse res = client.get(path).request()) {
            assertThat(res.status(), is(status));
            assertThat(res.as(String.class), is(body));
        }
    }
}
