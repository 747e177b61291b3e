package dev.codelab.bench.load;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway's idle-socket rows stand beside the floor's, measured the same way. */
class GatewayIdleTest {

    private static final long MB = 1048576;

    @Test
    void theGatewayIsReportedBesideTheBareServerAndByHowMuchItExceedsIt() {
        IdleSockets.Held tenThousand = new IdleSockets.Held(10_000, 60, 10_000, 30.0, 10_000);
        GatewayIdle.Footprint gateway =
                new GatewayIdle.Footprint(tenThousand, 150 * MB, 11 * MB, 441 * MB, 325 * MB, 251 * MB);
        GatewayIdle.Footprint floor =
                new GatewayIdle.Footprint(tenThousand, 90 * MB, 4 * MB, 400 * MB, 300 * MB, 224 * MB);

        List<Result> rows = GatewayIdle.rows(gateway, floor, "-XX:+UseSerialGC", 2.5);

        assertThat(
                rows.stream().map(Result::measured).toList(),
                contains(
                        "10000",
                        "441 MB (150 MB before)",
                        "29.8 KB",
                        "325 MB / 251 MB (11 MB live before)",
                        "24.6 KB",
                        "400 MB (90 MB before)",
                        "31.7 KB / 22.5 KB",
                        "300 MB / 224 MB (4 MB live before)",
                        "+41 MB / +2.0 KB"));
        assertThat(
                rows.get(1).metric(), is("RSS of the gateway's own JVM with them open (-XX:+UseSerialGC) (load 2.50)"));
        assertThat(rows.get(1).verdict(), is("MISSED"));
        assertThat(rows.get(5).metric().endsWith("10000 sockets held: RSS with them open"), is(true));
        assertThat(rows.get(5).verdict(), is("-"));
    }

    @Test
    void aGatewayUnderTheFloorShowsANegativeDifference() {
        IdleSockets.Held thousand = new IdleSockets.Held(1_000, 10, 1_000, 3.0, 1_000);
        GatewayIdle.Footprint gateway =
                new GatewayIdle.Footprint(thousand, 150 * MB, 10 * MB, 190 * MB, 90 * MB, 30 * MB);
        GatewayIdle.Footprint floor = new GatewayIdle.Footprint(thousand, 90 * MB, 4 * MB, 200 * MB, 90 * MB, 26 * MB);

        List<Result> rows = GatewayIdle.rows(gateway, floor, "-", 1.0);

        assertThat(rows.get(1).verdict(), is("NOT MEASURED at 10000"));
        assertThat(rows.getLast().measured(), is("-10 MB / -2.0 KB"));
    }
}
