package dev.codelab.gateway.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.gateway.agent.AgentClient;
import dev.codelab.gateway.agent.AgentFailedException;
import dev.codelab.gateway.agent.AgentStream;
import dev.codelab.shared.hop.HopException;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.sse.SseEventReader;
import dev.codelab.shared.sse.SseEventReader.SseEvent;
import dev.codelab.shared.watch.IdleWatch;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One turn: sends the client frame to the agent ({@code POST /agent/message/stream}), reads the SSE answer line
 * by line and emits each event as a server frame the moment it is parsed. Turns the agent's failures into an
 * {@code error} frame plus {@code done} with reason {@code error}, so the client always learns the turn ended.
 */
final class AgentStreamPipe {

    private static final System.Logger LOG = System.getLogger(AgentStreamPipe.class.getName());
    private static final int MAX_ERROR_BODY_CHARS = 4096;
    private static final Set<String> AGENT_ERROR_CODES = Set.of(
            FrameError.INVALID_FORMAT,
            FrameError.INVALID_TYPE,
            FrameError.MISSING_FIELD,
            FrameError.INVALID_FIELD,
            FrameError.INVALID_CALL_ID,
            FrameError.TURN_IN_PROGRESS,
            "TOOL_NOT_ALLOWED",
            FrameError.SESSION_NOT_FOUND,
            FrameError.NOTHING_TO_CONDENSE,
            FrameError.NOTHING_TO_CONTINUE);

    private final AgentClient agent;
    private final AwaitedCalls awaited;
    private final Duration idleLimit;

    AgentStreamPipe(AgentClient agent, AwaitedCalls awaited, Duration idleLimit) {
        this.agent = agent;
        this.awaited = awaited;
        this.idleLimit = idleLimit;
    }

    void run(SessionChannel channel, String userId, String requestId, InboundFrame frame, Turn turn) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("session_id", channel.sessionId());
        body.set("message", frame.json());
        AgentStream stream;
        try {
            stream = agent.openStream(userId, requestId, Json.write(body));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Agent stream for session " + channel.sessionId() + " failed to start: " + e);
            if (turn.isCancelled()) {
                cancelled(channel, userId, requestId);
            } else if (AgentClient.isTimeout(e)) {
                fail(channel, FrameError.AGENT_ERROR, "The agent runtime did not answer in time");
            } else {
                fail(channel, FrameError.AGENT_UNAVAILABLE, "The agent runtime is unavailable, please retry");
            }
            return;
        }
        try (stream) {
            if (stream.status() != 200) {
                refused(channel, stream.status(), textOf(stream));
                return;
            }
            if (frame.answersCall()) {
                awaited.answered(channel.sessionId(), frame.callId());
            }
            turn.attach(stream);
            try (IdleWatch silence = idleTimeout(turn)) {
                if (!pump(channel, turn, silence, stream.lines()) && turn.isCancelled()) {
                    cancelled(channel, userId, requestId);
                }
            }
        }
    }

    /** Whether the agent says the session no longer exists; false when it cannot say. */
    boolean sessionGone(String userId, String sessionId, String requestId) {
        try {
            return agent.send("GET", "/sessions/" + AgentClient.encode(sessionId), userId, requestId, null)
                            .status()
                    == 404;
        } catch (AgentFailedException e) {
            return false;
        }
    }

    /** Times the turn out when the agent sends nothing, not even a keep-alive, for the idle limit; once. */
    private IdleWatch idleTimeout(Turn turn) {
        return new IdleWatch("agent-stream-watchdog", idleLimit, () -> {
                    turn.timeOut();
                    return false;
                })
                .start();
    }

    /** Emits the stream's events; {@code true} when it ended with {@code done}, as it should. */
    private boolean pump(SessionChannel channel, Turn turn, IdleWatch silence, Iterator<String> source) {
        SseEventReader reader = new SseEventReader(new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public String next() {
                String line = source.next();
                silence.touch();
                return line;
            }
        });
        try {
            for (Optional<SseEvent> event = reader.next(); event.isPresent(); event = reader.next()) {
                String data = event.get().data();
                ObjectNode frame = parse(data);
                if (frame == null) {
                    continue;
                }
                if (frame.path("type").asText().equals("tool_call")
                        && frame.path("call_id").isTextual()) {
                    awaited.await(channel.sessionId(), frame.get("call_id").asText());
                }
                channel.emit(frame, data);
                if (frame.path("type").asText().equals("done")) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            // The client's read timeout is the idle limit too; it may run out just before the watchdog looks.
            if (AgentClient.isTimeout(e) && !turn.isCancelled()) {
                turn.timeOut();
            } else if (!turn.isCancelled() && !turn.isTimedOut()) {
                LOG.log(Level.WARNING, "Agent stream of session " + channel.sessionId() + " broke: " + e);
            }
        }
        if (turn.isTimedOut()) {
            fail(channel, FrameError.AGENT_ERROR, "The agent runtime sent nothing for " + idleLimit.toSeconds() + " s");
        } else if (!turn.isCancelled()) {
            fail(channel, FrameError.AGENT_ERROR, "The agent runtime stream ended unexpectedly");
        }
        return false;
    }

    /**
     * Ends a cancelled turn. The agent is told with a {@code cancel} frame of its own, so that it stops the LLM
     * call at once even when it would notice the closed stream only at its next write (or runs the turn on
     * another replica). This happens before the session's next turn may start, so the cancel cannot hit it.
     * The agent's answer is not needed: the gateway sends {@code done cancelled} itself.
     */
    private void cancelled(SessionChannel channel, String userId, String requestId) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("session_id", channel.sessionId());
        body.set("message", Json.MAPPER.createObjectNode().put("type", InboundFrame.CANCEL));
        try {
            agent.send("POST", "/agent/message/stream", userId, requestId + "-cancel", Json.write(body));
        } catch (RuntimeException e) {
            LOG.log(
                    Level.DEBUG,
                    "Telling the agent about the cancel of session " + channel.sessionId() + " failed: " + e);
        }
        channel.emit(done("cancelled"));
    }

    /** The agent refused the frame before streaming (docs/agent.md, "POST /agent/message/stream"). */
    private void refused(SessionChannel channel, int status, String text) {
        ObjectNode body = readObject(text.length() > MAX_ERROR_BODY_CHARS ? "" : text);
        switch (status) {
            case 400 ->
                channel.emitLast(FrameError.of(codeOf(body), messageOf(body, "The agent runtime refused the message"))
                        .toJson());
            case 404 -> fail(channel, FrameError.SESSION_NOT_FOUND, "Session not found");
            // The agent's other 409 (switch_limit_reached) is a refusal of this frame, not a running turn.
            case 409 ->
                channel.emitLast((body != null
                                        && body.path("error").isTextual()
                                        && !body.path("error").asText().equals("turn_in_progress")
                                ? FrameError.of(codeOf(body), messageOf(body, "The agent runtime refused the message"))
                                : FrameError.of(
                                        FrameError.TURN_IN_PROGRESS,
                                        "A turn is already running for this session; send cancel to stop it"))
                        .toJson());
            default -> {
                LOG.log(Level.WARNING, "Agent answered " + status + " to a turn of session " + channel.sessionId());
                fail(channel, FrameError.AGENT_ERROR, "The agent runtime failed (" + status + ")");
            }
        }
    }

    /** The body of a refusal; a body that breaks off counts as none. */
    private static String textOf(AgentStream stream) {
        try {
            return stream.text();
        } catch (HopException e) {
            return "";
        }
    }

    private static void fail(SessionChannel channel, String code, String content) {
        channel.emit(FrameError.of(code, content).toJson());
        channel.emit(done("error"));
    }

    static ObjectNode done(String reason) {
        ObjectNode done = Json.MAPPER.createObjectNode();
        done.put("type", "done");
        done.put("reason", reason);
        return done;
    }

    private static ObjectNode parse(String data) {
        ObjectNode event = readObject(data);
        if (event == null || !event.path("type").isTextual()) {
            LOG.log(Level.WARNING, "Skipping an agent event that is not a typed JSON object");
            return null;
        }
        return event;
    }

    private static ObjectNode readObject(String text) {
        try {
            return Json.read(text) instanceof ObjectNode object ? object : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String codeOf(ObjectNode body) {
        if (body != null) {
            for (String field : new String[] {"error_code", "error"}) {
                String value = body.path(field).asText("").toUpperCase(Locale.ROOT);
                if (AGENT_ERROR_CODES.contains(value)) {
                    return value;
                }
            }
        }
        return FrameError.INVALID_FIELD;
    }

    private static String messageOf(ObjectNode body, String fallback) {
        if (body != null && body.path("message").isTextual()) {
            return body.get("message").asText();
        }
        return fallback;
    }
}
