package dev.codelab.shared.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one Jackson mapper of a process (thread-safe once configured).
 */
public final class Json {

    /*
     * Jackson's default buffer recycling is per thread, and every socket has long-lived virtual threads that
     * would each keep their own buffers (about 10 KB per idle WebSocket); a shared pool keeps a few.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                    .build())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code value} as UTF-8 JSON bytes (what a response sends without a media lookup). */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON text; throws {@link IOException} (a Jackson {@code JsonProcessingException}) on bad input. */
    public static JsonNode read(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    /** Sends {@code body} as {@code application/json} with {@code status}. */
    public static void send(ServerResponse res, Status status, Object body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(bytes(body));
    }
}
