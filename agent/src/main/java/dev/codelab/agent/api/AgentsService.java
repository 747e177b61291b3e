package dev.codelab.agent.api;

import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.store.SessionStore;
import dev.codelab.shared.db.Database;
import dev.codelab.shared.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /agents} (the five agents) and {@code GET /agents/{session_id}/current}.
 */
final class AgentsService implements HttpService {

    private final Database database;

    AgentsService(Database database) {
        this.database = database;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> Json.send(res, Status.OK_200, Map.of("agents", agents())))
                .get("/{session_id}/current", (req, res) -> {
                    String id = req.path().pathParameters().get("session_id");
                    SessionStore.Session session = SessionAccess.of(req).require(database.sql(), id);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("session_id", session.id());
                    body.put("current_agent", session.currentAgent().id());
                    Json.send(res, Status.OK_200, body);
                });
    }

    private static List<Map<String, Object>> agents() {
        return Arrays.stream(AgentType.values())
                .map(agent -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("type", agent.id());
                    view.put("name", agent.displayName());
                    view.put("emoji", agent.emoji());
                    view.put("description", agent.description());
                    view.put("allowed_tools", agent.tools());
                    return view;
                })
                .toList();
    }
}
