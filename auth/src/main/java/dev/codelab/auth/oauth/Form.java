package dev.codelab.auth.oauth;

import io.helidon.http.BadRequestException;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code application/x-www-form-urlencoded} request body, read with the checks RFC 6749 asks for: the
 * right content type, each parameter at most once, empty values treated as absent (section 3.1), and bounded
 * sizes so no input can exhaust memory. Every violation is a 400 {@code invalid_request}.
 */
public final class Form {

    static final int MAX_BODY_BYTES = 16 * 1024;
    static final int MAX_VALUE_CHARS = 4096;
    private static final String FORM_TYPE = "application/x-www-form-urlencoded";

    private final Map<String, String> values;

    private Form(Map<String, String> values) {
        this.values = values;
    }

    public static Form read(ServerRequest req) {
        if (!mediaType(req).equals(FORM_TYPE)) {
            throw OAuthError.invalidRequest("Content-Type must be " + FORM_TYPE);
        }
        return parse(body(req));
    }

    /** The request's media type in lower case; empty when absent or unparseable (Helidon throws on the latter). */
    private static String mediaType(ServerRequest req) {
        try {
            return req.headers()
                    .contentType()
                    .map(HttpMediaType::mediaType)
                    .map(m -> m.text().toLowerCase(Locale.ROOT))
                    .orElse("");
        } catch (BadRequestException unparseable) {
            return "";
        }
    }

    static Form parse(String body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (value.length() > MAX_VALUE_CHARS) {
                throw OAuthError.invalidRequest("Parameter '" + printable(name) + "' is too long");
            }
            if (value.indexOf('\0') >= 0) { // PostgreSQL text cannot hold it, and no OAuth parameter needs it
                throw OAuthError.invalidRequest("Parameter '" + printable(name) + "' contains a NUL character");
            }
            if (values.containsKey(name)) {
                throw OAuthError.invalidRequest("Parameter '" + printable(name) + "' is repeated");
            }
            values.put(name, value);
        }
        return new Form(values);
    }

    /** The parameter's value; empty when absent or sent without a value. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> OAuthError.invalidRequest("Missing required parameter: " + name));
    }

    private static String body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return "";
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw OAuthError.invalidRequest("Request body is too large");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("Malformed form encoding");
        }
    }

    /** A parameter name safe to echo in an error: short and plain. */
    private static String printable(String name) {
        String cut = name.length() > 40 ? name.substring(0, 40) : name;
        return cut.replaceAll("[^A-Za-z0-9_.:-]", "?");
    }
}
