package dev.codelab.llmproxy.api;

import dev.codelab.shared.http.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;

/** Sends {@link OpenAiException}s as OpenAI error responses. */
public final class OpenAiErrors {

    private OpenAiErrors() {}

    public static void send(ServerResponse res, OpenAiException e) {
        e.retryAfterSeconds().ifPresent(s -> res.header(HeaderNames.RETRY_AFTER, String.valueOf(s)));
        Json.send(res, Status.create(e.status()), e.body());
    }

    /** Lets handlers throw {@link OpenAiException}; the shared handlers keep answering everything else. */
    public static void register(HttpRouting.Builder routing) {
        routing.error(OpenAiException.class, (req, res, e) -> send(res, e));
    }
}
