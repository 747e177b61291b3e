package dev.codelab.shared.hop;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An answer on a hop: status and headers, and a body the caller reads (each read within the hop's timeout).
 * Closing it from any thread ends the exchange: a blocked read fails at once, and a body not read to its end
 * closes its connection instead of handing it back for reuse.
 */
public final class HopResponse implements AutoCloseable {

    private final HttpResponse<InputStream> response;
    private final TimedBody body;

    HopResponse(HttpResponse<InputStream> response, TimedBody body) {
        this.response = response;
        this.body = body;
    }

    public int status() {
        return response.statusCode();
    }

    public Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    /** The body as it arrives; its read failures are {@link HopException}s. */
    public InputStream body() {
        return body;
    }

    /** The body as UTF-8 text read line by line on the calling thread (call once). */
    public BufferedReader reader() {
        return new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The whole body; reading it to its end lets the connection be reused. */
    public byte[] bytes() throws HopException {
        return body.readAll(
                response.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /** The whole body as UTF-8 text. */
    public String text() throws HopException {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        body.close();
    }
}
