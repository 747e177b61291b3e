package dev.codelab.gateway.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.util.Optional;

/**
 * The server frames an open socket sends, in the socket's protocol, through its {@link SocketWriter}: protocol 2
 * gets a stored frame as stored with its {@code seq} added, protocol 1 gets every frame through the socket's own
 * {@link Protocol1Adapter} (fed in seq order).
 */
final class FrameOutput {

    private static final System.Logger LOG = System.getLogger(FrameOutput.class.getName());

    private final SocketWriter writer;
    /** {@code null} for protocol 2. */
    private final Protocol1Adapter protocol1;

    FrameOutput(SocketWriter writer, int protocol) {
        this.writer = writer;
        this.protocol1 = protocol == 1 ? new Protocol1Adapter() : null;
    }

    /** Sends a stored frame, its turn in seq order having come ({@link FrameSequencer}). */
    void stored(long seq, String json) {
        if (protocol1 == null) {
            writer.send(withSeq(json, seq));
            return;
        }
        try {
            if (Json.read(json) instanceof ObjectNode frame) {
                frame.put("seq", seq);
                send(frame);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Skipping a stored frame that is not JSON, seq " + seq);
        }
    }

    /** Sends a frame numbered here because Redis could not store it. */
    void send(ObjectNode frame) {
        Optional<ObjectNode> out = protocol1 == null ? Optional.of(frame) : protocol1.adapt(frame);
        out.ifPresent(f -> writer.send(Json.write(f)));
    }

    /** The stored JSON object with {@code seq} added as its last field, without parsing it. */
    static String withSeq(String json, long seq) {
        String open = json.substring(0, json.lastIndexOf('}'));
        return open + (open.strip().equals("{") ? "" : ",") + "\"seq\":" + seq + "}";
    }
}
