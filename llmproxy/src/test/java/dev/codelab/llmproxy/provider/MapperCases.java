package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.registry.Deployment;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the mapper tests share: a deployment, JSON text in and out, and a sink that records the chunks. */
final class MapperCases {

    private MapperCases() {}

    static Deployment deployment(String provider, String model, int cacheBreakpoints) {
        return new Deployment(
                provider + ":" + model,
                provider,
                model,
                URI.create("http://provider.test"),
                Optional.of("sk-test"),
                Duration.ofSeconds(30),
                1,
                Optional.empty(),
                Optional.empty(),
                cacheBreakpoints);
    }

    static ObjectNode object(String json) {
        try {
            return (ObjectNode) Json.read(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text block's JSON as the proxy writes it: compact, keys in the order given. */
    static String compact(String json) {
        return Json.write(object(json));
    }

    /**
     * JSON the proxy wrote, with the parts that differ per answer replaced after checking their form: the
     * {@code chatcmpl-} id, {@code created} and the {@code call_} ids the proxy makes up.
     */
    static String written(ObjectNode json) {
        return Json.write(json)
                .replaceAll("\"chatcmpl-[0-9a-f]{32}\"", "\"chatcmpl-ID\"")
                .replaceAll("\"created\":[0-9]{10}", "\"created\":0")
                .replaceAll("\"call_[0-9a-f]{24}\"", "\"call_ID\"");
    }

    /** Records each chunk as written JSON; a relayed chunk as the text the provider sent. */
    static final class RecordingSink implements ChunkSink {

        final List<String> chunks = new ArrayList<>();

        @Override
        public void chunk(ObjectNode chunk) {
            chunks.add(written(chunk));
        }

        @Override
        public void relay(ObjectNode chunk, String text) {
            chunks.add("relayed " + text);
        }
    }

    /** Feeds {@code lines} of a provider body to a fresh stream mapper as the transport does; the chunks it made. */
    static List<String> stream(ProviderMapper mapper, Deployment d, List<String> lines) {
        RecordingSink sink = new RecordingSink();
        StreamMapper translation = mapper.stream(d, sink);
        if (!mapper.framing().feed(lines.iterator(), translation)) {
            translation.end();
        }
        return sink.chunks;
    }

    /**
     * The chunks of a text block, one a line, each with {@code $CHUNK} standing for the fields every chunk of the
     * answer starts with.
     */
    static List<String> chunks(String lines, String model) {
        String header =
                "\"id\":\"chatcmpl-ID\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"" + model + "\"";
        return lines.lines()
                .map(line -> compact(line.replace("$CHUNK", header)))
                .toList();
    }
}
