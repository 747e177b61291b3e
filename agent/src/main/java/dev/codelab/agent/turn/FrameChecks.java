package dev.codelab.agent.turn;

import dev.codelab.agent.AgentSettings;
import dev.codelab.agent.agents.AgentPrompts;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.context.SessionContext;
import dev.codelab.agent.store.Approvals;
import dev.codelab.agent.store.FileEdits;
import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.store.SessionStore.Session;
import dev.codelab.agent.store.Turns;
import dev.codelab.agent.tools.ToolCall;
import dev.codelab.agent.tools.ToolCallValidator;
import dev.codelab.agent.tools.ToolCatalog;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.http.ApiException;
import io.helidon.http.Status;
import java.util.Optional;

/**
 * What only the stored state can tell about a frame (is this call awaited, may the agent switch, is there
 * anything to condense or continue): a 400/409 {@link ApiException} before anything is streamed or written.
 */
final class FrameChecks {

    private final AgentSettings settings;
    private final AgentPrompts prompts;
    private final ToolCatalog tools;
    private final ToolCallValidator validator;
    private final SessionContext context;

    FrameChecks(
            AgentSettings settings,
            AgentPrompts prompts,
            ToolCatalog tools,
            ToolCallValidator validator,
            SessionContext context) {
        this.settings = settings;
        this.prompts = prompts;
        this.tools = tools;
        this.validator = validator;
        this.context = context;
    }

    void check(Sql c, Session session, TurnInput frame) {
        switch (frame) {
            case TurnInput.ToolResult result -> checkAwaited(c, session, result);
            case TurnInput.HitlDecision decision -> checkDecision(c, session, decision);
            case TurnInput.SwitchAgent sw -> checkSwitchAllowed(session, sw.agent());
            case TurnInput.UserMessage message -> message.agent().ifPresent(a -> checkSwitchAllowed(session, a));
            case TurnInput.Cancel cancel -> {}
            case TurnInput.Condense condense -> checkCondensable(c, session);
            case TurnInput.Continue resume -> {
                if (!Turns.latestIsResumable(c, session.id())) {
                    throw new ApiException(
                            Status.BAD_REQUEST_400,
                            "nothing_to_continue",
                            "Nothing to continue: the last turn did not end in a failure of the model");
                }
            }
        }
    }

    private static void checkAwaited(Sql c, Session session, TurnInput.ToolResult result) {
        boolean awaited = MessageStore.awaitingResult(c, session.id())
                .map(m -> awaitedIdeCallId(c, session.id(), ToolCall.fromOpenAiArray(m.toolCalls())))
                .map(result.callId()::equals)
                .orElse(false);
        if (!awaited) {
            throw invalidCallId("No tool call awaits a result for call_id " + result.callId());
        }
    }

    private void checkDecision(Sql c, Session session, TurnInput.HitlDecision decision) {
        Approvals.Approval approval = Approvals.findPending(c, session.id(), decision.callId())
                .orElseThrow(() -> invalidCallId("No pending approval for call_id " + decision.callId()));
        if (decision.modifiedArguments() == null) {
            return;
        }
        if (isEditRead(c, session.id(), approval)) {
            // the edits were made for the file the model named; another file would get them written over it
            throw new ApiException(
                    Status.BAD_REQUEST_400,
                    "invalid_field",
                    "The read of an edit_file cannot be edited; approve or reject it");
        }
        AgentType agent = awaitedCallAgent(c, session.id()).orElse(session.currentAgent());
        validator
                .argumentProblem(agent, approval.toolName(), decision.modifiedArguments())
                .ifPresent(problem -> {
                    throw new ApiException(Status.BAD_REQUEST_400, "invalid_field", problem);
                });
    }

    private void checkCondensable(Sql c, Session session) {
        AgentType agent = session.currentAgent();
        if (!context.canCondense(
                c, session.id(), prompts.systemPrompt(agent, session.systemPrompt()), tools.definitionsFor(agent))) {
            throw new ApiException(
                    Status.BAD_REQUEST_400,
                    "nothing_to_condense",
                    "Nothing to condense: the conversation is short enough to be kept as it is");
        }
    }

    private void checkSwitchAllowed(Session session, AgentType target) {
        if (target != session.currentAgent() && session.switchCount() >= settings.maxSwitches()) {
            throw new ApiException(
                    Status.CONFLICT_409,
                    "switch_limit_reached",
                    "This session reached its limit of " + settings.maxSwitches() + " agent switches");
        }
    }

    /** The id the IDE answers: the model's call's own, or for an {@code edit_file} that of its current IDE call. */
    private static String awaitedIdeCallId(Sql c, String sessionId, ToolCall call) {
        return FileEdits.stage(c, sessionId, call.id())
                .map(stage -> stage.ideCallId(call.id()))
                .orElse(call.id());
    }

    /** Whether the approval asks about the read of an {@code edit_file} (a policy that asks before reads). */
    private static boolean isEditRead(Sql c, String sessionId, Approvals.Approval approval) {
        return MessageStore.awaitingResult(c, sessionId)
                .map(m -> FileEdits.Stage.READING.ideCallId(
                        ToolCall.fromOpenAiArray(m.toolCalls()).id()))
                .filter(readId -> readId.equals(approval.callId()))
                .isPresent();
    }

    private static Optional<AgentType> awaitedCallAgent(Sql c, String sessionId) {
        return MessageStore.awaitingResult(c, sessionId).flatMap(m -> AgentType.parse(m.agentName()));
    }

    private static ApiException invalidCallId(String message) {
        return new ApiException(Status.BAD_REQUEST_400, "invalid_call_id", message);
    }
}
