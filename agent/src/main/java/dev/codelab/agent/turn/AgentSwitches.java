package dev.codelab.agent.turn;

import dev.codelab.agent.agents.AgentRouter;
import dev.codelab.agent.agents.AgentSwitch;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.store.Switches;

/** Changes of the session's agent: the orchestrator's routing, the user's choice, the model's handoff. */
final class AgentSwitches {

    private final AgentRouter router;

    AgentSwitches(AgentRouter router) {
        this.router = router;
    }

    /** The orchestrator hands the task to the specialist routing picks for the user's last text. */
    void route(TurnContext ctx, String userText) {
        AgentRouter.Route route = router.route(userText, ctx.llmCall(AgentType.ORCHESTRATOR), ctx.cancellation());
        switchTo(ctx, route.fromOrchestrator());
    }

    /** Records the switch (the new agent is current from now on) and tells the client. */
    static void switchTo(TurnContext ctx, AgentSwitch change) {
        ctx.write(tx -> Switches.record(tx, ctx.sessionId(), change));
        ctx.sink().send(Events.agentSwitched(change));
    }
}
