package dev.codelab.devstack;

import dev.codelab.agent.AgentApp;
import dev.codelab.auth.AuthApp;
import dev.codelab.gateway.GatewayApp;
import dev.codelab.llmproxy.LlmProxyApp;
import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.server.CodeLabService;
import dev.codelab.shared.server.ServiceServer;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import java.util.List;
import java.util.Map;

/**
 * The four services wired as in compose, each on a server of its own, over the databases and Redis it is given.
 * The one place that wires them, started only by {@link DevStack} ({@code codelab up}, the bench, the system
 * tests), which adds the databases and Redis, the demo user and the entry point.
 */
public final class ServiceStack {

    private final ResourceStack resources;
    private final String host;
    private Config authConfig;
    private Config gatewayConfig;
    private Config agentConfig;
    private AuthApp auth;
    private GatewayApp gateway;
    private AgentApp agent;
    private WebServer agentServer;
    private DevStack.Ports ports;

    /**
     * Where the services keep their state.
     *
     * @param authDb  JDBC URL of the auth service's database
     * @param agentDb JDBC URL of the agent runtime's database (may be the same)
     * @param llmproxyDb JDBC URL of the LLM proxy's usage database (may be the same)
     */
    public record Stores(String authDb, String agentDb, String llmproxyDb, String redisUrl) {}

    private ServiceStack(ResourceStack resources, String host) {
        this.resources = resources;
        this.host = host;
    }

    /**
     * Starts auth, llmproxy, agent and gateway in this order, so that each learns the real port of the next hop.
     * Each is closed with {@code resources}, its service before its server (the gateway drains its sockets while
     * its server still runs).
     *
     * @param env   service variables ({@code AUTH_SERVICE__...}, {@code GATEWAY__...}, provider keys)
     * @param ports the services' ports, 0 for a free one ({@code publicPort} is not used here)
     */
    public static ServiceStack start(
            ResourceStack resources,
            Stores stores,
            String internalKey,
            Map<String, String> env,
            String host,
            DevStack.Ports ports) {
        ServiceStack stack = new ServiceStack(resources, host);
        stack.startAll(stores, internalKey, env, ports);
        return stack;
    }

    private void startAll(Stores stores, String internalKey, Map<String, String> env, DevStack.Ports wanted) {
        authConfig = ServiceConfig.load(
                "AUTH_SERVICE",
                env,
                Map.of(
                        "auth-service.db-url", stores.authDb(),
                        "auth-service.redis-url", stores.redisUrl()));
        auth = AuthApp.create(authConfig);
        int authPort = serve(auth, wanted.auth());
        LlmProxyApp llmproxy = LlmProxyApp.create(
                ServiceConfig.load(
                        "LLM_PROXY",
                        env,
                        Map.of("llm-proxy.internal-api-key", internalKey, "llm-proxy.db-url", stores.llmproxyDb())),
                env);
        int llmproxyPort = serve(llmproxy, wanted.llmproxy());
        agentConfig = ServiceConfig.load(
                "AGENT_RUNTIME",
                env,
                Map.of(
                        "agent-runtime.db-url",
                        stores.agentDb(),
                        "agent-runtime.internal-api-key",
                        internalKey,
                        "agent-runtime.llm-proxy-url",
                        "http://127.0.0.1:" + llmproxyPort));
        int agentPort = startAgent(wanted.agent());
        resources.add(this::closeAgent);
        gatewayConfig = ServiceConfig.load(
                "GATEWAY",
                env,
                Map.of(
                        "gateway.redis-url",
                        stores.redisUrl(),
                        "gateway.internal-api-key",
                        internalKey,
                        "gateway.agent-url",
                        "http://127.0.0.1:" + agentPort,
                        "gateway.auth-service-url",
                        "http://127.0.0.1:" + authPort));
        gateway = GatewayApp.create(gatewayConfig);
        int gatewayPort = serve(gateway, wanted.gateway());
        ports = new DevStack.Ports(0, gatewayPort, agentPort, llmproxyPort, authPort);
    }

    /** Starts a service's own server; returns the bound port. */
    private int serve(CodeLabService service, int port) {
        WebServer server = start(service, port);
        resources.add(server::stop);
        resources.add(service);
        return server.port();
    }

    private WebServer start(CodeLabService service, int port) {
        try {
            return ServiceServer.start(serverConfig(host, port), service.name(), List.of(service));
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private int startAgent(int port) {
        agent = AgentApp.create(agentConfig);
        agentServer = start(agent, port);
        return agentServer.port();
    }

    /** Stops the agent runtime's server and service, as if its process died (open streams are cut). */
    public void stopAgent() {
        agentServer.stop();
        agent.close();
        agentServer = null;
    }

    /** Starts a fresh agent runtime on the port it had, over the same database. */
    public void restartAgent() {
        startAgent(ports.agent());
    }

    private void closeAgent() {
        if (agentServer != null) {
            agent.close();
            agentServer.stop();
            agentServer = null;
        }
    }

    /**
     * A server config on {@code host}; like gateway.yaml, a whole client message (up to 4 MiB) may arrive as one
     * WebSocket frame.
     */
    public static Config serverConfig(String host, int port) {
        return ServiceConfig.load(
                        "CODELAB",
                        Map.of(),
                        Map.of(
                                "server.port",
                                String.valueOf(port),
                                "server.host",
                                host,
                                "server.protocols.websocket.max-frame-length",
                                "4194304"))
                .get("server");
    }

    public AuthApp auth() {
        return auth;
    }

    public GatewayApp gateway() {
        return gateway;
    }

    public AgentApp agent() {
        return agent;
    }

    public Config authConfig() {
        return authConfig;
    }

    public Config gatewayConfig() {
        return gatewayConfig;
    }

    /** The services' bound ports ({@code publicPort} 0: the entry point is not part of this stack). */
    public DevStack.Ports ports() {
        return ports;
    }
}
