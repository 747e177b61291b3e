package dev.codelab.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An open session WebSocket. Sends typed client frames and hands every server frame to the {@link ChatListener}.
 *
 * <p>It remembers the highest {@code seq} delivered. After a drop, {@link #reconnect()} opens a new socket with
 * {@code ?last_seq=N}, the server replays what came after N, and frames already delivered are skipped, so the
 * listener sees every frame exactly once. Send methods block until the frame is written; they may be called
 * from any thread (sends are serialized).
 */
public final class ChatConnection implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient http;
    private final URI endpoint;
    private final TokenManager tokens;
    private final ChatListener listener;
    private final Object sendLock = new Object();
    private final Object deliveryLock = new Object();

    private volatile WebSocket socket;
    private volatile SocketListener current;
    private volatile boolean closed;
    private long lastSeq;

    ChatConnection(HttpClient http, URI endpoint, TokenManager tokens, ChatListener listener, long lastSeq) {
        this.http = http;
        this.endpoint = endpoint;
        this.tokens = tokens;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.lastSeq = lastSeq;
    }

    /** The highest {@code seq} delivered to the listener so far (or the one passed to connect). */
    public long lastSeq() {
        synchronized (deliveryLock) {
            return lastSeq;
        }
    }

    /** Whether a socket is open and this connection was not closed. */
    public boolean isOpen() {
        WebSocket ws = socket;
        return !closed && ws != null && !ws.isOutputClosed() && !ws.isInputClosed();
    }

    /**
     * Drops the current socket (if any) and opens a new one with {@code ?last_seq=}{@link #lastSeq()}; the
     * server replays the frames missed meanwhile.
     *
     * @throws CodeLabException when the server cannot be reached or refuses the upgrade
     */
    public synchronized void reconnect() {
        if (closed) {
            throw new IllegalStateException("The connection was closed");
        }
        WebSocket old = socket;
        current = null;
        if (old != null) {
            old.abort();
        }
        open();
    }

    synchronized void open() {
        long from = lastSeq();
        URI uri = from > 0 ? URI.create(endpoint + "?last_seq=" + from) : endpoint;
        String access = tokens.accessToken();
        try {
            socket = handshake(uri, access);
        } catch (CodeLabException e) {
            if (e.status() != 401) {
                throw e;
            }
            socket = handshake(uri, tokens.renewAfterRejection(access));
        }
    }

    /** Starts a turn with the session's current agent. */
    public void userMessage(String content) {
        userMessage(content, null);
    }

    /** Starts a turn; {@code agentType} (or {@code null}) forces that agent. */
    public void userMessage(String content, String agentType) {
        ObjectNode frame = frame("user_message").put("content", content);
        if (agentType != null) {
            frame.put("agent_type", agentType);
        }
        send(frame);
    }

    /** Answers a tool call with its result (any JSON-serializable value). */
    public void toolResult(String callId, Object result) {
        ObjectNode frame = frame("tool_result").put("call_id", callId);
        frame.set("result", ApiJson.MAPPER.valueToTree(result));
        send(frame);
    }

    /** Answers a tool call with a failure; for a call awaiting approval this rejects it. */
    public void toolError(String callId, String error) {
        send(frame("tool_result").put("call_id", callId).put("error", error));
    }

    /** Approves a tool call that requires approval. */
    public void approve(String callId) {
        send(frame("hitl_decision").put("call_id", callId).put("decision", "approve"));
    }

    /** Approves a tool call with changed arguments. */
    public void approveEdited(String callId, JsonNode modifiedArguments) {
        ObjectNode frame = frame("hitl_decision").put("call_id", callId).put("decision", "edit");
        frame.set("modified_arguments", modifiedArguments);
        send(frame);
    }

    /** Rejects a tool call; {@code feedback} (or {@code null}) tells the agent why. */
    public void reject(String callId, String feedback) {
        ObjectNode frame = frame("hitl_decision").put("call_id", callId).put("decision", "reject");
        if (feedback != null) {
            frame.put("feedback", feedback);
        }
        send(frame);
    }

    /** Makes {@code agentType} the session's current agent (no LLM call). */
    public void switchAgent(String agentType, String reason) {
        ObjectNode frame = frame("switch_agent").put("agent_type", agentType);
        if (reason != null) {
            frame.put("reason", reason);
        }
        send(frame);
    }

    /** Asks the server to condense the session's context now (an answer: {@code context_condensed}, then done). */
    public void condense() {
        send(frame("condense"));
    }

    /** Resumes the turn whose {@code done} was {@link ServerFrame.Done#resumable() resumable}. */
    public void continueTurn() {
        send(frame("continue"));
    }

    /** Stops the running turn. */
    public void cancel() {
        send(frame("cancel"));
    }

    /** Closes the socket normally; the listener is not told. */
    @Override
    public void close() {
        closed = true;
        current = null;
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "client closed").get(2, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            // the socket is already gone; abort below frees it either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ws.abort();
        }
    }

    private static ObjectNode frame(String type) {
        return ApiJson.MAPPER.createObjectNode().put("type", type);
    }

    private void send(ObjectNode frame) {
        String text;
        try {
            text = ApiJson.MAPPER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialize the frame", e);
        }
        synchronized (sendLock) {
            WebSocket ws = socket;
            if (closed || ws == null || ws.isOutputClosed()) {
                throw new CodeLabException(
                        0, "not_connected", "The session socket is not open; reconnect first.", null);
            }
            try {
                ws.sendText(text, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new CodeLabException(
                        "send_failed",
                        "Could not send the " + frame.path("type").asText() + " frame: "
                                + Http.describe(e.getCause() != null ? e.getCause() : e),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CodeLabException("interrupted", "Interrupted while sending", e);
            }
        }
    }

    private WebSocket handshake(URI uri, String access) {
        SocketListener socketListener = new SocketListener();
        current = socketListener;
        try {
            return http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + access)
                    .connectTimeout(TIMEOUT)
                    .buildAsync(uri, socketListener)
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                int status = refused.getResponse().statusCode();
                throw new CodeLabException(status, "upgrade_refused", upgradeMessage(status), null);
            }
            throw new CodeLabException("unreachable", "Cannot open " + uri + ": " + Http.describe(e.getCause()), e);
        } catch (TimeoutException e) {
            throw new CodeLabException("unreachable", "Timed out opening " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CodeLabException("interrupted", "Interrupted while opening " + uri, e);
        }
    }

    private static String upgradeMessage(int status) {
        return Map.of(
                        400,
                        "Malformed session id.",
                        401,
                        "The server refused the access token.",
                        404,
                        "Session not found.",
                        429,
                        "Too many open connections for this user.")
                .getOrDefault(status, "The server refused the WebSocket with HTTP " + status + ".");
    }

    private void deliver(String text) {
        ServerFrame frame;
        try {
            frame = ServerFrame.parse(text);
        } catch (IllegalArgumentException e) {
            frame = new ServerFrame.Unknown(
                    0, "", ApiJson.MAPPER.getNodeFactory().textNode(text));
        }
        synchronized (deliveryLock) {
            if (frame.seq() > 0) {
                if (frame.seq() <= lastSeq) {
                    return;
                }
                lastSeq = frame.seq();
            }
            listener.onFrame(frame);
        }
    }

    /** One per socket; events of a socket that was replaced by {@link #reconnect()} are ignored. */
    private final class SocketListener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (current == this) {
                    deliver(text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            webSocket.abort();
            disconnected(new ChatListener.Disconnect(statusCode, reason, null));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            disconnected(new ChatListener.Disconnect(-1, Http.describe(error), error));
        }

        private void disconnected(ChatListener.Disconnect disconnect) {
            if (current == this && !closed) {
                current = null;
                listener.onDisconnected(disconnect);
            }
        }
    }
}
