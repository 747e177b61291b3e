package dev.codelab.agent.llm;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

import io.helidon.webclient.api.HttpClientResponse;

/**
 * Helidon WebClient reports a failed exchange — connection refused or reset, read timeout, a body cut short, a
 * malformed status line or chunk — as assorted runtime exceptions ({@code UncheckedIOException},
 * {@code DataReader.InsufficientDataAvailableException}, {@code IllegalArgumentException}, ...). The LLM client
 * handles all of them as the I/O failures they are (retryable until something was forwarded).
 */
final class TransportErrors {

    private TransportErrors() {
    }

    /** Runs one step of an exchange (sending, reading a whole body), turning its failures into IOException. */
    static <T> T io(Supplier<T> step) throws IOException {
        try {
            return step.get();
        } catch (RuntimeException e) {
            throw asIo(e);
        }
    }

    /** The response body, whose read failures are IOExceptions. */
    static InputStream body(HttpClientResponse response) {
        return new FilterInputStream(response.inputStream()) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (RuntimeException e) {
                    throw asIo(e);
                }
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                try {
                    return super.read(buffer, offset, length);
                } catch (RuntimeException e) {
                    throw asIo(e);
                }
            }
        };
    }

    private static IOException asIo(RuntimeException e) {
        return e instanceof UncheckedIOException io ? io.getCause() : new IOException(e.toString(), e);
    }
}
