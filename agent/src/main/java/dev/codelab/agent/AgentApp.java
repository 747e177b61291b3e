package dev.codelab.agent;

import dev.codelab.agent.agents.AgentPrompts;
import dev.codelab.agent.api.AgentRoutes;
import dev.codelab.agent.approval.ApprovalPolicy;
import dev.codelab.agent.llm.LlmClient;
import dev.codelab.agent.tools.ToolCatalog;
import dev.codelab.agent.turn.TurnEngine;
import dev.codelab.agent.usage.UsageProxy;
import dev.codelab.agent.usage.UsageService;
import dev.codelab.shared.db.Database;
import dev.codelab.shared.db.PoolUsage;
import dev.codelab.shared.server.CodeLabService;
import dev.codelab.shared.server.Health;
import dev.codelab.shared.server.Readiness;
import dev.codelab.shared.server.Readiness.Impact;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;

/**
 * The agent runtime: sessions and history in PostgreSQL, the multi-agent loop over the LLM proxy, and the SSE
 * stream the gateway pipes to the IDE (docs/agent.md).
 */
public final class AgentApp implements CodeLabService {

    private final Config config;
    private final AgentSettings settings;
    private final Database database;
    private final LlmClient llm;
    private final UsageProxy usage;
    private final AgentRoutes routes;

    private AgentApp(Config config) {
        this.config = config;
        this.settings = AgentSettings.from(config);
        this.database = Database.start(settings.dbUrl(), settings.dbPoolSize(), "agent");
        this.llm = new LlmClient(settings);
        this.usage = new UsageProxy(settings.llmProxyUrl(), settings.internalApiKey(), settings.llmConnectTimeout());
        ToolCatalog tools = ToolCatalog.load();
        TurnEngine engine = new TurnEngine(
                settings,
                llm,
                usage,
                new AgentPrompts(tools),
                tools,
                ApprovalPolicy.from(config.get("agent-runtime.approval-rules")));
        this.routes = new AgentRoutes(
                settings.internalApiKey(),
                database,
                engine,
                settings.keepAlive(),
                settings.cancelPoll(),
                settings.turnLease());
    }

    public static AgentApp create(Config config) {
        return new AgentApp(config);
    }

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routes.register(routing);
        routing.register(new UsageService(usage));
        routing.get("/health", Health.liveness("agent", config, "agent-runtime"))
                .get(
                        "/ready",
                        new Readiness(
                                "ready",
                                "not_ready",
                                "checks",
                                req -> new Readiness.Report()
                                        .check("database", database.isReachable(), "up", "down", Impact.FAILS)
                                        .check("llm_proxy", llm.isReachable(), "up", "down", Impact.FAILS)));
    }

    /** How the database pool was used since the start or the last {@link #resetPoolUsage()} (for the bench). */
    public PoolUsage poolUsage() {
        return database.poolUsage();
    }

    public void resetPoolUsage() {
        database.resetPoolUsage();
    }

    @Override
    public void close() {
        routes.close();
        llm.close();
        usage.close();
        database.close();
    }
}
