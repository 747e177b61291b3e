package dev.codelab.agent.api;

import dev.codelab.agent.store.Approvals.Approval;
import dev.codelab.agent.store.MessageStatus;
import dev.codelab.agent.store.MessageStore.Message;
import dev.codelab.agent.store.SessionStore.Session;
import dev.codelab.agent.store.Switches.Switch;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shapes of gateway.md, which the gateway passes through unchanged.
 */
final class Views {

    private Views() {}

    static Map<String, Object> created(Session s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("session_id", s.id());
        view.put("id", s.id());
        view.put("created_at", time(s.createdAt()));
        view.put("current_agent", s.currentAgent().id());
        view.put("message_count", s.messageCount());
        return view;
    }

    static Map<String, Object> session(Session s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("session_id", s.id());
        view.put("id", s.id());
        view.put("title", s.title());
        view.put("created_at", time(s.createdAt()));
        view.put("last_activity", time(s.lastActivity()));
        view.put("current_agent", s.currentAgent().id());
        view.put("message_count", s.messageCount());
        return view;
    }

    static Map<String, Object> message(Message m) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", m.id().toString());
        view.put("role", m.role());
        view.put("content", m.content() == null ? "" : m.content());
        view.put("timestamp", time(m.createdAt()));
        if (m.agentName() != null) {
            view.put("agent_name", m.agentName());
        }
        if (m.hasToolCalls()) {
            view.put("tool_calls", m.toolCalls());
        }
        if (m.toolCallId() != null) {
            view.put("tool_call_id", m.toolCallId());
        }
        if (m.status() != MessageStatus.COMPLETE) {
            view.put("status", m.status().wire());
        }
        return view;
    }

    static Map<String, Object> approval(Approval a) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("call_id", a.callId());
        view.put("tool_name", a.toolName());
        view.put("arguments", a.arguments());
        view.put("reason", a.reason());
        if (a.diff() != null) {
            view.put("diff", a.diff());
        }
        view.put("created_at", time(a.createdAt()));
        return view;
    }

    static Map<String, Object> agentSwitch(Switch s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("from_agent", s.fromAgent());
        view.put("to_agent", s.toAgent());
        view.put("reason", s.reason());
        view.put("confidence", s.confidence());
        view.put("switched_at", time(s.switchedAt()));
        return view;
    }

    static String time(OffsetDateTime time) {
        return time.toInstant().toString();
    }
}
