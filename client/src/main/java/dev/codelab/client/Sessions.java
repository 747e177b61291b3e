package dev.codelab.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The caller's chat sessions ({@code /api/v1/sessions}). Obtain it from {@link CodeLabClient#sessions()}. */
public final class Sessions {

    private final CodeLabClient client;

    Sessions(CodeLabClient client) {
        this.client = client;
    }

    /** The first page of sessions with the server's default page size. */
    public SessionPage list() {
        return client.request("GET", "api/v1/sessions", null, SessionPage.class);
    }

    /** One page of sessions, newest activity first. */
    public SessionPage list(int limit, int offset) {
        return client.request("GET", "api/v1/sessions?limit=" + limit + "&offset=" + offset, null, SessionPage.class);
    }

    /**
     * Creates a session.
     *
     * @param title        its title, or {@code null}
     * @param systemPrompt extra instructions for every agent of this session, or {@code null}
     */
    public Session create(String title, String systemPrompt) {
        Map<String, String> body = new LinkedHashMap<>();
        if (systemPrompt != null) {
            body.put("system_prompt", systemPrompt);
        }
        if (title != null) {
            body.put("title", title);
        }
        return client.request("POST", "api/v1/sessions", body, Session.class);
    }

    /** Creates a session with a title (or none when {@code null}). */
    public Session create(String title) {
        return create(title, null);
    }

    /** One session; {@link CodeLabException} with status 404 when it does not exist or is not the caller's. */
    public Session get(String sessionId) {
        return client.request("GET", path(sessionId), null, Session.class);
    }

    /** Sets the title and returns the updated session. */
    public Session rename(String sessionId, String title) {
        return client.request("PATCH", path(sessionId), Map.of("title", title), Session.class);
    }

    /** Deletes the session, its messages and approvals. */
    public void delete(String sessionId) {
        client.request("DELETE", path(sessionId), null, Void.class);
    }

    /** All stored messages the server returns by default, oldest first. */
    public History history(String sessionId) {
        return client.request("GET", path(sessionId) + "/history", null, History.class);
    }

    /**
     * A page of messages, oldest first.
     *
     * @param limit  at most this many messages
     * @param before only messages before this message id, or {@code null}
     */
    public History history(String sessionId, int limit, String before) {
        String query = "?limit=" + limit + (before == null ? "" : "&before=" + encode(before));
        return client.request("GET", path(sessionId) + "/history" + query, null, History.class);
    }

    /** Tool calls of this session that wait for the user's decision. */
    public List<PendingApproval> pendingApprovals(String sessionId) {
        JsonNode body = client.request("GET", path(sessionId) + "/pending-approvals", null, JsonNode.class);
        return CodeLabClient.convert(body.path("pending_approvals"), new TypeReference<>() {});
    }

    private static String path(String sessionId) {
        return "api/v1/sessions/" + encode(sessionId);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
