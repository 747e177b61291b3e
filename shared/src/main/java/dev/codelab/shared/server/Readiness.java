package dev.codelab.shared.server;

import dev.codelab.shared.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The readiness answer of every service: {@code {"status":..,<fields>..,"<group>":{<check>:<state>,..}}}, 200, or
 * 503 when a check the service cannot serve without failed. The service's {@link Probe} runs its checks per
 * request; this class turns them into the body and the status.
 *
 * <p>The words differ per service on purpose, because each answer is documented and probed as it is: the gateway's
 * public {@code /api/v1/health} keeps the seed's {@code healthy}/{@code degraded} and {@code services}, auth's
 * {@code /ready} says {@code unavailable} and the agent's and llmproxy's say {@code not_ready}; llmproxy groups its
 * states under {@code providers}.
 */
public final class Readiness implements Handler {

    /** What a failed check does to the answer. */
    public enum Impact {
        /** Reported only: the service still serves (a provider outage at llmproxy, auth's fail-open Redis). */
        NONE,
        /** The status says so, but the answer stays 200: the service still serves, less well. */
        DEGRADES,
        /** The status says so and the answer is 503: the service cannot serve. */
        FAILS
    }

    /** Runs a service's checks for one request. */
    @FunctionalInterface
    public interface Probe {
        Report run(ServerRequest req);
    }

    private final String readyWord;
    private final String notReadyWord;
    private final String group;
    private final Probe probe;

    /**
     * @param readyWord    the status when no check counts against the service
     * @param notReadyWord the status when one does (whether degraded or failed)
     * @param group        the name of the object holding the checks' states
     */
    public Readiness(String readyWord, String notReadyWord, String group, Probe probe) {
        this.readyWord = readyWord;
        this.notReadyWord = notReadyWord;
        this.group = group;
        this.probe = probe;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Report report = probe.run(req);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.worst == Impact.NONE ? readyWord : notReadyWord);
        body.putAll(report.fields);
        body.put(group, report.states);
        Json.send(res, report.worst == Impact.FAILS ? Status.SERVICE_UNAVAILABLE_503 : Status.OK_200, body);
    }

    /** The outcome of a service's checks, in the order they are reported. */
    public static final class Report {

        private final Map<String, Object> fields = new LinkedHashMap<>();
        private final Map<String, String> states = new LinkedHashMap<>();
        private Impact worst = Impact.NONE;

        /** A field reported before the checks' states, e.g. the version. */
        public Report field(String name, Object value) {
            fields.put(name, value);
            return this;
        }

        /** A state reported as it is, counting against nothing. */
        public Report state(String name, String state) {
            states.put(name, state);
            return this;
        }

        /** A check reported as {@code upState} or {@code downState}; a failed one has {@code impact}. */
        public Report check(String name, boolean up, String upState, String downState, Impact impact) {
            states.put(name, up ? upState : downState);
            return up ? this : require(false, impact);
        }

        /** A condition that is not reported as a state of its own (llmproxy: the default model can be served). */
        public Report require(boolean met, Impact impact) {
            if (!met && impact.compareTo(worst) > 0) {
                worst = impact;
            }
            return this;
        }
    }
}
