package dev.codelab.agent.turn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.AgentSettings;
import dev.codelab.agent.agents.AgentPrompts;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.agents.Router;
import dev.codelab.agent.approval.ApprovalPolicy;
import dev.codelab.agent.approval.Decision;
import dev.codelab.agent.context.ModelWindows;
import dev.codelab.agent.context.PromptBuilder;
import dev.codelab.agent.context.SessionContext;
import dev.codelab.agent.edit.EditOutcome;
import dev.codelab.agent.edit.EditRequest;
import dev.codelab.agent.edit.KnownContent;
import dev.codelab.agent.edit.TextEdits;
import dev.codelab.agent.edit.UnifiedDiff;
import dev.codelab.agent.llm.BudgetExceeded;
import dev.codelab.agent.llm.Completion;
import dev.codelab.agent.llm.LlmCancelled;
import dev.codelab.agent.llm.LlmClient;
import dev.codelab.agent.llm.LlmFailure;
import dev.codelab.agent.store.Approvals;
import dev.codelab.agent.store.FileEdits;
import dev.codelab.agent.store.Messages;
import dev.codelab.agent.store.Messages.Message;
import dev.codelab.agent.store.Messages.NewMessage;
import dev.codelab.agent.store.Sessions;
import dev.codelab.agent.store.Sessions.Session;
import dev.codelab.agent.store.Switches;
import dev.codelab.agent.store.Turns;
import dev.codelab.agent.tools.ToolCall;
import dev.codelab.agent.tools.ToolCallValidator;
import dev.codelab.agent.tools.ToolCatalog;
import dev.codelab.agent.usage.UsageProxy;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.Json;
import io.helidon.http.Status;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The agent loop (docs/agent.md, "The loop"): plain blocking code run under the session lease. Each step builds the
 * prompt, streams one LLM completion (text forwarded as it arrives), stores the answer and acts on its first
 * tool call: runtime tools run here, IDE tools pause the turn until the IDE answers in a later request.
 */
public final class TurnEngine {

    private final AgentSettings settings;
    private final LlmClient llm;
    private final Router router;
    private final AgentPrompts prompts;
    private final ToolCatalog tools;
    private final ToolCallValidator validator;
    private final ApprovalPolicy policy;
    private final SessionContext context;
    private final UsageProxy usage;

    public TurnEngine(
            AgentSettings settings,
            LlmClient llm,
            UsageProxy usage,
            AgentPrompts prompts,
            ToolCatalog tools,
            ApprovalPolicy policy) {
        this.settings = settings;
        this.llm = llm;
        this.usage = usage;
        this.router = new Router(llm, prompts);
        this.prompts = prompts;
        this.tools = tools;
        this.validator = new ToolCallValidator(tools);
        this.policy = policy;
        this.context = new SessionContext(
                settings, llm, new ModelWindows(llm::models, settings.modelInfoRefresh(), Clock.systemUTC()));
    }

    /**
     * Checks what only the stored state can tell (is this call awaited, may the agent switch); throws the 400/409
     * {@link ApiException} before anything is streamed or written.
     */
    public void check(Sql c, Session session, ClientFrame frame) {
        switch (frame) {
            case ClientFrame.ToolResult result -> {
                boolean awaited = Messages.awaitingResult(c, session.id())
                        .map(m -> awaitedIdeCallId(c, session.id(), ToolCall.fromOpenAiArray(m.toolCalls())))
                        .map(result.callId()::equals)
                        .orElse(false);
                if (!awaited) {
                    throw invalidCallId("No tool call awaits a result for call_id " + result.callId());
                }
            }
            case ClientFrame.HitlDecision decision -> {
                Approvals.Approval approval = Approvals.findPending(c, session.id(), decision.callId())
                        .orElseThrow(() -> invalidCallId("No pending approval for call_id " + decision.callId()));
                if (decision.modifiedArguments() != null && isEditRead(c, session.id(), approval)) {
                    // the edits were made for the file the model named; another file would get them written over it
                    throw new ApiException(
                            Status.BAD_REQUEST_400,
                            "invalid_field",
                            "The read of an edit_file cannot be edited; approve or reject it");
                }
                if (decision.modifiedArguments() != null) {
                    AgentType agent = awaitedCallAgent(c, session.id()).orElse(session.currentAgent());
                    validator
                            .argumentProblem(agent, approval.toolName(), decision.modifiedArguments())
                            .ifPresent(problem -> {
                                throw new ApiException(Status.BAD_REQUEST_400, "invalid_field", problem);
                            });
                }
            }
            case ClientFrame.SwitchAgent sw -> checkSwitchAllowed(session, sw.agent());
            case ClientFrame.UserMessage message -> message.agent().ifPresent(a -> checkSwitchAllowed(session, a));
            case ClientFrame.Cancel cancel -> {}
            case ClientFrame.Condense condense -> {
                AgentType agent = session.currentAgent();
                if (!context.canCondense(
                        c,
                        session.id(),
                        prompts.systemPrompt(agent, session.systemPrompt()),
                        tools.definitionsFor(agent))) {
                    throw new ApiException(
                            Status.BAD_REQUEST_400,
                            "nothing_to_condense",
                            "Nothing to condense: the conversation is short enough to be kept as it is");
                }
            }
            case ClientFrame.Continue resume -> {
                if (!Turns.latestIsResumable(c, session.id())) {
                    throw new ApiException(
                            Status.BAD_REQUEST_400,
                            "nothing_to_continue",
                            "Nothing to continue: the last turn did not end in a failure of the model");
                }
            }
        }
    }

    /** Runs the frame to the end of this request's stream (always exactly one {@code done}). */
    public void run(TurnContext ctx, ClientFrame frame) {
        switch (frame) {
            case ClientFrame.UserMessage message -> userMessage(ctx, message);
            case ClientFrame.ToolResult result -> toolResult(ctx, result);
            case ClientFrame.HitlDecision decision -> hitlDecision(ctx, decision);
            case ClientFrame.SwitchAgent sw -> switchAgent(ctx, sw);
            case ClientFrame.Cancel cancel -> cancelPaused(ctx);
            case ClientFrame.Condense condense -> condense(ctx);
            case ClientFrame.Continue resume ->
                loop(ctx, ctx.writeAndGet(tx -> Turns.start(tx, ctx.sessionId()).id()));
        }
    }

    private void condense(TurnContext ctx) {
        AgentType agent = session(ctx).currentAgent();
        try {
            context.condenseNow(
                    ctx, prompts.systemPrompt(agent, session(ctx).systemPrompt()), tools.definitionsFor(agent));
            ctx.write(tx -> Sessions.touch(tx, ctx.sessionId()));
            ctx.sink().send(Events.done(DoneReason.COMPLETED));
        } catch (LlmCancelled e) {
            ctx.sink().send(Events.done(DoneReason.CANCELLED));
        }
    }

    private void userMessage(TurnContext ctx, ClientFrame.UserMessage message) {
        answerAwaitedCall(ctx, "Not executed: the user sent a new message instead.");
        long turn = ctx.writeAndGet(tx -> {
            Turns.endOpen(tx, ctx.sessionId(), "superseded");
            long started = Turns.start(tx, ctx.sessionId()).id();
            Messages.append(tx, ctx.sessionId(), NewMessage.user(message.content()));
            Sessions.titleIfUntitled(tx, ctx.sessionId(), message.content());
            return started;
        });
        AgentType current = session(ctx).currentAgent();
        if (message.agent().isPresent() && message.agent().get() != current) {
            switchTo(ctx, current, message.agent().get(), "User requested", "high");
        }
        loop(ctx, turn);
    }

    private void toolResult(TurnContext ctx, ClientFrame.ToolResult result) {
        Message awaited = Messages.awaitingResult(ctx.sql(), ctx.sessionId()).orElseThrow();
        ToolCall call = ToolCall.fromOpenAiArray(awaited.toolCalls());
        Optional<FileEdits.Stage> edit = FileEdits.stage(ctx.sql(), ctx.sessionId(), call.id());
        boolean pending = Approvals.findPending(ctx.sql(), ctx.sessionId(), result.callId())
                .isPresent();
        Consumer<Sql> decideImplicitly = tx -> {
            if (pending) {
                Approvals.decide(
                        tx,
                        ctx.sessionId(),
                        result.callId(),
                        result.error() == null ? "approved" : "rejected",
                        null,
                        result.error());
            }
        };
        if (edit.isPresent() && edit.get() == FileEdits.Stage.READING) {
            editRead(ctx, awaited, call, result, decideImplicitly);
            return;
        }
        String content =
                edit.isPresent() ? editWritten(ctx, call, result) : toolContent(result.result(), result.error());
        answer(ctx, call, content + droppedNote(awaited.droppedToolCalls()), decideImplicitly);
        loop(ctx, currentTurn(ctx));
    }

    /**
     * The IDE read the file of an {@code edit_file} call: the edits are applied here and the result goes back to
     * the IDE as one {@code write_file}, through the approval policy like any write; a failed edit is the model's
     * tool result, and the turn goes on.
     */
    private void editRead(
            TurnContext ctx,
            Message awaited,
            ToolCall call,
            ClientFrame.ToolResult result,
            Consumer<Sql> decideImplicitly) {
        AgentType agent =
                AgentType.parse(awaited.agentName()).orElse(session(ctx).currentAgent());
        long turn = currentTurn(ctx);
        EditRequest request = EditRequest.of(call.arguments());
        EditOutcome outcome = TextEdits.apply(request, result.result(), result.error());
        if (outcome instanceof EditOutcome.Failed failed) {
            answer(ctx, call, "Error: " + failed.message() + droppedNote(awaited.droppedToolCalls()), decideImplicitly);
            loop(ctx, turn);
            return;
        }
        EditOutcome.Applied applied = (EditOutcome.Applied) outcome;
        ObjectNode writeArguments =
                Json.MAPPER.createObjectNode().put("path", request.path()).put("content", applied.after());
        ToolCall write =
                new ToolCall(FileEdits.Stage.WRITING.ideCallId(call.id()), "write_file", Json.write(writeArguments));
        Decision decision = policy.decide(write.name(), writeArguments);
        if (decision.verdict() == Decision.Verdict.DENY) {
            answer(
                    ctx,
                    call,
                    "Error: the approval policy refused this call: " + decision.reason()
                            + droppedNote(awaited.droppedToolCalls()),
                    decideImplicitly);
            loop(ctx, turn);
            return;
        }
        offer(
                ctx,
                turn,
                agent,
                write,
                decision,
                UnifiedDiff.of(request.path(), applied.before(), applied.after()),
                decideImplicitly.andThen(tx -> FileEdits.writing(tx, ctx.sessionId(), call.id())));
    }

    /** The model's result of an {@code edit_file} call whose write the IDE answered. */
    private String editWritten(TurnContext ctx, ToolCall call, ClientFrame.ToolResult result) {
        EditRequest request = EditRequest.of(call.arguments());
        if (result.error() != null) {
            return "Error: the edited " + request.path() + " was not written: " + result.error();
        }
        boolean changedByUser = Approvals.find(ctx.sql(), ctx.sessionId(), FileEdits.Stage.WRITING.ideCallId(call.id()))
                .map(a -> a.status().equals("edited"))
                .orElse(false);
        int edits = request.edits().size();
        return "Edited " + request.path() + " (" + edits + (edits == 1 ? " edit" : " edits") + " applied"
                + (changedByUser
                        ? "; the user changed the content before it was written: read_file it before "
                                + "editing it again"
                        : "")
                + "): " + toolContent(result.result(), null);
    }

    /** Stores the model's call's result (with what else belongs in that transaction); ends any edit in progress. */
    private void answer(TurnContext ctx, ToolCall call, String content, Consumer<Sql> alsoInTransaction) {
        ctx.write(tx -> {
            alsoInTransaction.accept(tx);
            Messages.append(tx, ctx.sessionId(), NewMessage.tool(call.id(), content));
            FileEdits.clear(tx, ctx.sessionId());
        });
    }

    private void hitlDecision(TurnContext ctx, ClientFrame.HitlDecision decision) {
        Message awaited = Messages.awaitingResult(ctx.sql(), ctx.sessionId()).orElseThrow();
        ToolCall call = ToolCall.fromOpenAiArray(awaited.toolCalls());
        AgentType agent =
                AgentType.parse(awaited.agentName()).orElse(session(ctx).currentAgent());
        long turn = currentTurn(ctx);
        Approvals.Approval approval = Approvals.findPending(ctx.sql(), ctx.sessionId(), decision.callId())
                .orElseThrow();
        // the IDE call asked about: the model's own, or the read or write of its edit_file
        ToolCall asked = new ToolCall(approval.callId(), approval.toolName(), Json.write(approval.arguments()));
        boolean composed = !asked.id().equals(call.id());
        switch (decision.decision()) {
            case "approve" -> {
                ctx.write(tx -> Approvals.decide(tx, ctx.sessionId(), asked.id(), "approved", null, null));
                ctx.sink()
                        .send(Events.toolCall(
                                asked.id(), asked.name(), asked.arguments(), null, agent, approval.diff()));
                finish(ctx, turn, DoneReason.AWAITING_TOOL);
            }
            case "edit" -> {
                ToolCall edited = asked.withArguments(decision.modifiedArguments());
                ctx.write(tx -> {
                    Approvals.decide(tx, ctx.sessionId(), asked.id(), "edited", decision.modifiedArguments(), null);
                    if (!composed) {
                        Messages.replaceToolCalls(
                                tx,
                                awaited.id(),
                                call.withArguments(decision.modifiedArguments()).toOpenAiArray());
                    }
                });
                ctx.sink().send(Events.toolCall(asked.id(), asked.name(), edited.arguments(), null, agent, null));
                finish(ctx, turn, DoneReason.AWAITING_TOOL);
            }
            default -> {
                String feedback =
                        decision.feedback() == null || decision.feedback().isBlank()
                                ? "no reason given"
                                : decision.feedback();
                answer(
                        ctx,
                        call,
                        "rejected by the user: " + feedback + droppedNote(awaited.droppedToolCalls()),
                        tx -> Approvals.decide(tx, ctx.sessionId(), asked.id(), "rejected", null, feedback));
                loop(ctx, turn);
            }
        }
    }

    private void switchAgent(TurnContext ctx, ClientFrame.SwitchAgent sw) {
        AgentType current = session(ctx).currentAgent();
        if (sw.agent() == current) {
            ctx.sink().send(Events.agentSwitched(current, current, sw.reason(), "high"));
        } else {
            switchTo(ctx, current, sw.agent(), sw.reason(), "high");
        }
        ctx.write(tx -> Sessions.touch(tx, ctx.sessionId()));
        ctx.sink().send(Events.done(DoneReason.COMPLETED));
    }

    /** A cancel while no request of this process runs the session: end what waits for the IDE. */
    private void cancelPaused(TurnContext ctx) {
        answerAwaitedCall(ctx, "Not executed: the user cancelled the turn.");
        ctx.write(tx -> Turns.endOpen(tx, ctx.sessionId(), DoneReason.CANCELLED.wire()));
        ctx.sink().send(Events.done(DoneReason.CANCELLED));
    }

    /** The turn's LLM steps, refused before the first one when the user's budget is used up (docs/protocol.md). */
    private void loop(TurnContext ctx, long turn) {
        try {
            checkBudget(ctx);
            steps(ctx, turn);
        } catch (BudgetExceeded e) {
            ctx.sink().send(Events.error(e.getMessage(), "BUDGET_EXCEEDED"));
            finish(ctx, turn, DoneReason.ERROR);
        }
    }

    /** Warns once past the soft limit; throws past a hard one. A user-less (service) turn has no budget. */
    private void checkBudget(TurnContext ctx) {
        if (ctx.userId() == null) {
            return;
        }
        usage.budgetStatus(ctx.userId(), ctx.requestId()).ifPresent(status -> {
            if (status.exceeded()) {
                throw new BudgetExceeded(status.message());
            }
            if (status.warnNow()) {
                ctx.sink().send(Events.usageWarning(status.message(), status.limit(), status.resetsAt()));
            }
        });
    }

    private void steps(TurnContext ctx, long turn) {
        while (true) {
            if (ctx.cancellation().isCancelled()) {
                finish(ctx, turn, DoneReason.CANCELLED);
                return;
            }
            Session session = session(ctx);
            AgentType agent = session.currentAgent();
            if (agent == AgentType.ORCHESTRATOR) {
                // the orchestrator only routes: whenever it is current, the task goes to a specialist first
                route(ctx, lastUserText(ctx));
                continue;
            }
            if (Turns.open(ctx.sql(), ctx.sessionId()).map(Turns.Turn::steps).orElse(0) >= settings.maxSteps()) {
                stopAtStepLimit(
                        ctx,
                        turn,
                        agent,
                        "I stopped after " + settings.maxSteps()
                                + " steps without finishing the task. Send a message to let me continue.");
                return;
            }
            Optional<Completion> completion = step(ctx, turn, session, agent);
            if (completion.isEmpty() || !act(ctx, turn, agent, completion.get())) {
                return;
            }
        }
    }

    /** One LLM call; empty when the turn ended in it (cancelled or failed). */
    private Optional<Completion> step(TurnContext ctx, long turn, Session session, AgentType agent) {
        ObjectNode request = llm.newRequest();
        JsonNode toolDefinitions = tools.definitionsFor(agent);
        try {
            PromptBuilder.Prompt prompt =
                    context.forStep(ctx, prompts.systemPrompt(agent, session.systemPrompt()), toolDefinitions);
            // messages before tools, as every turn writes them: the request's bytes start with a stable prefix
            request.set("messages", prompt.messages());
            request.set("tools", toolDefinitions);
            Completion completion = llm.stream(
                    request,
                    ctx.llmCall(agent),
                    token -> ctx.sink().send(Events.token(token, agent)),
                    ctx.cancellation());
            ctx.write(tx -> {
                Turns.countStep(tx, turn, completion.promptTokens(), completion.completionTokens());
                context.calibrate(tx, ctx.sessionId(), prompt, completion.promptTokens());
            });
            if (!completion.text().isEmpty()) {
                ctx.sink().send(Events.finalMessage("", completion.text(), agent));
            }
            return Optional.of(completion);
        } catch (LlmCancelled e) {
            keepPartial(ctx, turn, agent, e.partialText(), "cancelled");
            finish(ctx, turn, DoneReason.CANCELLED);
        } catch (LlmFailure e) {
            keepPartial(ctx, turn, agent, e.partialText(), "error");
            ctx.sink()
                    .send(
                            e.isTimeout()
                                    ? Events.error("The language model timed out: " + e.getMessage(), "LLM_TIMEOUT")
                                    : Events.error("The language model failed: " + e.getMessage(), "LLM_ERROR"));
            ctx.write(tx -> Turns.markResumable(tx, turn));
            finish(ctx, turn, DoneReason.ERROR, Events.resumableError());
        }
        return Optional.empty();
    }

    private void keepPartial(TurnContext ctx, long turn, AgentType agent, String partial, String status) {
        ctx.write(tx -> {
            Turns.countStep(tx, turn, 0, 0);
            if (!partial.isEmpty()) {
                Messages.append(tx, ctx.sessionId(), NewMessage.assistant(agent.id(), partial, null, 0, status, null));
            }
        });
        if (!partial.isEmpty()) {
            ctx.sink().send(Events.finalMessage("", partial, agent));
        }
    }

    /** Stores the answer and acts on its first tool call; true when the loop goes on with another step. */
    private boolean act(TurnContext ctx, long turn, AgentType agent, Completion completion) {
        String text = completion.text();
        Integer tokens = completion.completionTokens() > 0 ? completion.completionTokens() : null;
        if (completion.toolCalls().isEmpty()) {
            ctx.write(tx -> Messages.append(
                    tx, ctx.sessionId(), NewMessage.assistant(agent.id(), text, null, 0, "complete", tokens)));
            finish(ctx, turn, DoneReason.COMPLETED);
            return false;
        }
        ToolCall call = withUsableId(ctx, completion.toolCalls().getFirst());
        int dropped = completion.toolCalls().size() - 1;
        NewMessage assistant =
                NewMessage.assistant(agent.id(), text, call.toOpenAiArray(), dropped, "complete", tokens);
        Optional<String> problem = validator.problem(agent, call);
        if (problem.isPresent()) {
            storeWithResult(ctx, assistant, call, "Error: " + problem.get() + droppedNote(dropped));
            if (validator.isForbidden(agent, call)) {
                // the model is told and tries again; the IDE learns why this step did nothing
                ctx.sink().send(Events.error(problem.get(), "TOOL_NOT_ALLOWED"));
            }
            return true;
        }
        if (repeatsItself(ctx, call)) {
            storeWithResult(
                    ctx,
                    assistant,
                    call,
                    "Not executed: the same call was made " + settings.loopGuardRepeats() + " times in a row.");
            stopAtStepLimit(
                    ctx,
                    turn,
                    agent,
                    "I stopped because I was repeating the same " + call.name() + " call " + settings.loopGuardRepeats()
                            + " times in a row. Tell me how to continue.");
            return false;
        }
        JsonNode args = call.arguments();
        return switch (call.name()) {
            case "handoff" -> handoff(ctx, agent, assistant, call, args, dropped);
            case "attempt_completion" -> {
                storeWithResult(ctx, assistant, call, "The result was shown to the user.");
                String result = args.path("result").asText();
                // A model that streamed its summary and repeats it as the result: the user has seen it once.
                if (!result.strip().equals(text.strip())) {
                    say(ctx, agent, result);
                }
                finish(ctx, turn, DoneReason.COMPLETED);
                yield false;
            }
            case "ask_followup_question" -> {
                storeWithResult(ctx, assistant, call, "The question was shown to the user.");
                say(ctx, agent, question(args));
                finish(ctx, turn, DoneReason.COMPLETED);
                yield false;
            }
            case "edit_file" -> startEdit(ctx, turn, agent, assistant, call, dropped);
            default -> ideTool(ctx, turn, agent, assistant, call, dropped);
        };
    }

    private boolean handoff(
            TurnContext ctx, AgentType agent, NewMessage assistant, ToolCall call, JsonNode args, int dropped) {
        AgentType target = AgentType.parse(args.path("agent").asText()).orElseThrow();
        String reason = args.path("reason").asText();
        if (target == agent) {
            storeWithResult(
                    ctx,
                    assistant,
                    call,
                    "Error: you already are the " + agent.id() + " agent." + droppedNote(dropped));
            return true;
        }
        if (session(ctx).switchCount() >= settings.maxSwitches()) {
            storeWithResult(
                    ctx,
                    assistant,
                    call,
                    "Error: this session reached its limit of " + settings.maxSwitches()
                            + " agent switches; continue the task yourself." + droppedNote(dropped));
            return true;
        }
        storeWithResult(ctx, assistant, call, "Handed off to the " + target.id() + " agent.");
        switchTo(ctx, agent, target, reason, "high");
        return true;
    }

    private boolean ideTool(
            TurnContext ctx, long turn, AgentType agent, NewMessage assistant, ToolCall call, int dropped) {
        Decision decision = policy.decide(call.name(), call.arguments());
        if (decision.verdict() == Decision.Verdict.DENY) {
            storeWithResult(
                    ctx,
                    assistant,
                    call,
                    "Error: the approval policy refused this call: " + decision.reason() + droppedNote(dropped));
            return true;
        }
        offer(
                ctx,
                turn,
                agent,
                call,
                decision,
                writeDiff(ctx, call),
                tx -> Messages.append(tx, ctx.sessionId(), assistant));
        return false;
    }

    /** The diff of a {@code write_file} over the content this turn knows the file has; null when it knows none. */
    private String writeDiff(TurnContext ctx, ToolCall call) {
        if (!call.name().equals("write_file")) {
            return null;
        }
        String path = call.arguments().path("path").asText();
        return KnownContent.of(Messages.all(ctx.sql(), ctx.sessionId()), path)
                .map(before -> UnifiedDiff.of(
                        path, before, call.arguments().path("content").asText()))
                .filter(diff -> !diff.isEmpty())
                .orElse(null);
    }

    /**
     * {@code edit_file} is composed of the IDE tools every IDE has: first the IDE reads the file (no approval
     * unless the policy asks for one), see {@link #editRead}.
     */
    private boolean startEdit(
            TurnContext ctx, long turn, AgentType agent, NewMessage assistant, ToolCall call, int dropped) {
        ObjectNode readArguments = Json.MAPPER
                .createObjectNode()
                .put("path", call.arguments().path("path").asText());
        ToolCall read =
                new ToolCall(FileEdits.Stage.READING.ideCallId(call.id()), "read_file", Json.write(readArguments));
        Decision decision = policy.decide(read.name(), readArguments);
        if (decision.verdict() == Decision.Verdict.DENY) {
            storeWithResult(
                    ctx,
                    assistant,
                    call,
                    "Error: the approval policy refused to read the file: " + decision.reason() + droppedNote(dropped));
            return true;
        }
        offer(ctx, turn, agent, read, decision, null, tx -> {
            Messages.append(tx, ctx.sessionId(), assistant);
            FileEdits.start(tx, ctx.sessionId(), call.id());
        });
        return false;
    }

    /**
     * Sends a call to the IDE the policy allows or asks about, and ends this request waiting for the IDE. The
     * state is committed before the event leaves, so a crash cannot lose an approval the IDE already shows.
     */
    private void offer(
            TurnContext ctx,
            long turn,
            AgentType agent,
            ToolCall ideCall,
            Decision decision,
            String diff,
            Consumer<Sql> state) {
        boolean ask = decision.verdict() == Decision.Verdict.ASK;
        ctx.write(tx -> {
            state.accept(tx);
            if (ask) {
                Approvals.insert(
                        tx,
                        ctx.sessionId(),
                        ideCall.id(),
                        ideCall.name(),
                        ideCall.arguments(),
                        decision.reason(),
                        diff);
            }
        });
        ctx.sink()
                .send(Events.toolCall(
                        ideCall.id(),
                        ideCall.name(),
                        ideCall.arguments(),
                        ask ? decision.reason() : null,
                        agent,
                        diff));
        finish(ctx, turn, ask ? DoneReason.AWAITING_APPROVAL : DoneReason.AWAITING_TOOL);
    }

    private void route(TurnContext ctx, String userText) {
        Router.Route route = router.route(userText, ctx.llmCall(AgentType.ORCHESTRATOR), ctx.cancellation());
        switchTo(ctx, AgentType.ORCHESTRATOR, route.agent(), route.reason(), route.confidence());
    }

    private void switchTo(TurnContext ctx, AgentType from, AgentType to, String reason, String confidence) {
        ctx.write(tx -> Switches.record(tx, ctx.sessionId(), from, to, reason, confidence));
        ctx.sink().send(Events.agentSwitched(from, to, reason, confidence));
    }

    /** The explanation (kept in the history, so a "continue" knows why), the error code, {@code done step_limit}. */
    private void stopAtStepLimit(TurnContext ctx, long turn, AgentType agent, String explanation) {
        say(ctx, agent, explanation);
        ctx.sink().send(Events.error(explanation, "STEP_LIMIT_REACHED"));
        finish(ctx, turn, DoneReason.STEP_LIMIT);
    }

    /** Stores a message the runtime itself says to the user and sends it as one final frame. */
    private void say(TurnContext ctx, AgentType agent, String text) {
        ctx.write(tx -> Messages.append(
                tx, ctx.sessionId(), NewMessage.assistant(agent.id(), text, null, 0, "complete", null)));
        ctx.sink().send(Events.finalMessage(text, text, agent));
    }

    private void storeWithResult(TurnContext ctx, NewMessage assistant, ToolCall call, String result) {
        ctx.write(tx -> {
            Messages.append(tx, ctx.sessionId(), assistant);
            Messages.append(tx, ctx.sessionId(), NewMessage.tool(call.id(), result));
        });
    }

    private void finish(TurnContext ctx, long turn, DoneReason reason) {
        finish(ctx, turn, reason, Events.done(reason));
    }

    private void finish(TurnContext ctx, long turn, DoneReason reason, ObjectNode done) {
        ctx.write(tx -> {
            Turns.setState(tx, turn, reason.wire(), reason.endsTurn());
            Sessions.touch(tx, ctx.sessionId());
        });
        ctx.sink().send(done);
    }

    /** Answers a tool call still waiting for the IDE, so the history stays valid when the user moves on. */
    private void answerAwaitedCall(TurnContext ctx, String result) {
        Messages.awaitingResult(ctx.sql(), ctx.sessionId())
                .ifPresent(awaited -> ctx.write(tx -> {
                    Messages.append(
                            tx,
                            ctx.sessionId(),
                            NewMessage.tool(
                                    ToolCall.fromOpenAiArray(awaited.toolCalls())
                                            .id(),
                                    result));
                    Approvals.expireAll(tx, ctx.sessionId());
                    FileEdits.clear(tx, ctx.sessionId());
                }));
    }

    private boolean repeatsItself(TurnContext ctx, ToolCall call) {
        int earlier = settings.loopGuardRepeats() - 1;
        List<Message> recent = Messages.toolCallsSinceLastUserMessage(ctx.sql(), ctx.sessionId(), earlier);
        return recent.size() == earlier
                && recent.stream()
                        .map(m -> ToolCall.fromOpenAiArray(m.toolCalls()))
                        .allMatch(previous -> previous.name().equals(call.name())
                                && previous.arguments().equals(call.arguments()));
    }

    private ToolCall withUsableId(TurnContext ctx, ToolCall call) {
        boolean usable = call.id() != null
                && !call.id().isBlank()
                && call.id().length() <= FileEdits.MAX_CALL_ID_LENGTH
                && !Messages.callIdUsed(ctx.sql(), ctx.sessionId(), call.id());
        return usable
                ? call
                : call.withId("call_" + UUID.randomUUID().toString().replace("-", ""));
    }

    private long currentTurn(TurnContext ctx) {
        return Turns.open(ctx.sql(), ctx.sessionId())
                .map(Turns.Turn::id)
                .orElseGet(() ->
                        ctx.writeAndGet(tx -> Turns.start(tx, ctx.sessionId()).id()));
    }

    private Session session(TurnContext ctx) {
        return Sessions.find(ctx.sql(), ctx.sessionId()).orElseThrow();
    }

    private String lastUserText(TurnContext ctx) {
        List<Message> all = Messages.all(ctx.sql(), ctx.sessionId());
        return all.reversed().stream()
                .filter(m -> m.role().equals("user"))
                .map(Message::content)
                .findFirst()
                .orElse("");
    }

    /** The id the IDE answers: the model's call's own, or for an {@code edit_file} that of its current IDE call. */
    private static String awaitedIdeCallId(Sql c, String sessionId, ToolCall call) {
        return FileEdits.stage(c, sessionId, call.id())
                .map(stage -> stage.ideCallId(call.id()))
                .orElse(call.id());
    }

    /** Whether the approval asks about the read of an {@code edit_file} (a policy that asks before reads). */
    private static boolean isEditRead(Sql c, String sessionId, Approvals.Approval approval) {
        return Messages.awaitingResult(c, sessionId)
                .map(m -> FileEdits.Stage.READING.ideCallId(
                        ToolCall.fromOpenAiArray(m.toolCalls()).id()))
                .filter(readId -> readId.equals(approval.callId()))
                .isPresent();
    }

    private Optional<AgentType> awaitedCallAgent(Sql c, String sessionId) {
        return Messages.awaitingResult(c, sessionId).flatMap(m -> AgentType.parse(m.agentName()));
    }

    private void checkSwitchAllowed(Session session, AgentType target) {
        if (target != session.currentAgent() && session.switchCount() >= settings.maxSwitches()) {
            throw new ApiException(
                    Status.CONFLICT_409,
                    "switch_limit_reached",
                    "This session reached its limit of " + settings.maxSwitches() + " agent switches");
        }
    }

    private static ApiException invalidCallId(String message) {
        return new ApiException(Status.BAD_REQUEST_400, "invalid_call_id", message);
    }

    private static String question(JsonNode args) {
        StringBuilder text = new StringBuilder(args.path("question").asText());
        args.path("options").forEach(option -> text.append("\n- ").append(option.asText()));
        return text.toString();
    }

    static String toolContent(JsonNode result, String error) {
        if (error != null) {
            return "Error: " + error;
        }
        if (result == null
                || result.isNull()
                || result.isMissingNode()
                || (result.isTextual() && result.asText().isEmpty())
                || (result.isContainerNode() && result.isEmpty())) {
            return "Tool executed successfully";
        }
        return result.isTextual() ? result.asText() : Json.write(result);
    }

    private static String droppedNote(int dropped) {
        return dropped == 0
                ? ""
                : "\n[Note: you called " + (dropped + 1) + " tools at once; only the first ran and " + "the other "
                        + dropped + " were ignored. Call one tool per step.]";
    }
}
