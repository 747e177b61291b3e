package dev.codelab.gateway.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Protocol 1 (docs/protocol.md, "Protocol 1") for the shipped IDE, which draws every frame as its own bubble from
 * {@code content}: assistant text is held back until its message is complete and then sent as one
 * {@code assistant_message} whose {@code token} and {@code content} both hold the whole text; {@code done} is
 * not sent (text of a message cut short is sent then), nor is {@code context_condensed}; a {@code tool_call} goes
 * without the protocol-2 {@code diff}.
 * One adapter per socket, fed in seq order.
 */
final class Protocol1Adapter {

    private final StringBuilder text = new StringBuilder();
    private ObjectNode lastPiece;

    /** The frame to send for {@code frame}, if any. */
    Optional<ObjectNode> adapt(ObjectNode frame) {
        String type = frame.path("type").asText();
        if (type.equals("assistant_message")) {
            text.append(frame.path("token").asText(""));
            lastPiece = frame;
            if (!frame.path("is_final").asBoolean(false)) {
                return Optional.empty();
            }
            return Optional.of(whole(
                    frame, frame.hasNonNull("content") ? frame.get("content").asText() : text.toString()));
        }
        if (type.equals("done")) {
            // A message cut short (cancel, agent failure) still reaches the user with the text it had.
            if (text.isEmpty()) {
                return Optional.empty();
            }
            ObjectNode partial = whole(lastPiece, text.toString());
            partial.set("seq", frame.get("seq"));
            return Optional.of(partial);
        }
        if (type.equals("context_condensed")) {
            return Optional.empty();
        }
        if (type.equals("tool_call") && frame.has("diff")) {
            ObjectNode plain = frame.deepCopy();
            plain.remove("diff");
            return Optional.of(plain);
        }
        return Optional.of(frame);
    }

    private ObjectNode whole(ObjectNode finalFrame, String content) {
        text.setLength(0);
        ObjectNode aggregated = finalFrame.deepCopy();
        aggregated.put("token", content);
        aggregated.put("content", content);
        aggregated.put("is_final", true);
        return aggregated;
    }
}
