package dev.codelab.agent.turn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.AgentSettings;
import dev.codelab.agent.agents.AgentSwitch;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.llm.LlmCompletion;
import dev.codelab.agent.store.FileEdits;
import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.store.MessageStore.Message;
import dev.codelab.agent.store.MessageStore.NewMessage;
import dev.codelab.agent.tools.ToolCall;
import dev.codelab.agent.tools.ToolCallValidator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Acts on the model's answer: stores it and runs its first tool call. The runtime's own tools (handoff, the
 * completion, the follow-up question) are answered here; a call that breaks the rules is answered with the
 * reason, so the model can try again; IDE tools go to {@link IdeCalls} and {@link EditFileCalls}.
 */
final class AnswerActions {

    private final AgentSettings settings;
    private final ToolCallValidator validator;
    private final IdeCalls ideCalls;
    private final EditFileCalls editFileCalls;

    AnswerActions(AgentSettings settings, ToolCallValidator validator, IdeCalls ideCalls, EditFileCalls editFileCalls) {
        this.settings = settings;
        this.validator = validator;
        this.ideCalls = ideCalls;
        this.editFileCalls = editFileCalls;
    }

    Next act(TurnContext ctx, long turn, AgentType agent, LlmCompletion completion) {
        Integer tokens = completion.completionTokens() > 0 ? completion.completionTokens() : null;
        NewMessage answer = NewMessage.assistant(agent.id(), completion.text()).withTokenCount(tokens);
        if (completion.toolCalls().isEmpty()) {
            ctx.write(tx -> MessageStore.append(tx, ctx.sessionId(), answer));
            TurnEnd.finish(ctx, turn, DoneReason.COMPLETED);
            return Next.STREAM_ENDED;
        }
        ToolCall call = withUsableId(ctx, completion.toolCalls().getFirst());
        int dropped = completion.toolCalls().size() - 1;
        ModelToolCall modelCall = new ModelToolCall(answer.withToolCalls(call.toOpenAiArray(), dropped), call, dropped);
        Optional<String> problem = validator.problem(agent, call);
        if (problem.isPresent()) {
            modelCall.storeWithError(ctx, problem.get());
            if (validator.isForbidden(agent, call)) {
                // the model is told and tries again; the IDE learns why this step did nothing
                ctx.sink().send(Events.error(problem.get(), ErrorCode.TOOL_NOT_ALLOWED));
            }
            return Next.ANOTHER_STEP;
        }
        if (repeatsItself(ctx, call)) {
            stopRepeating(ctx, turn, agent, modelCall);
            return Next.STREAM_ENDED;
        }
        return run(ctx, turn, agent, modelCall, completion.text());
    }

    /** Runs a valid call: the runtime's own tools here, the IDE's through the IDE. */
    private Next run(TurnContext ctx, long turn, AgentType agent, ModelToolCall modelCall, String streamedText) {
        JsonNode args = modelCall.call().arguments();
        return switch (modelCall.call().name()) {
            case "handoff" -> handoff(ctx, agent, modelCall);
            case "attempt_completion" -> {
                modelCall.storeWithResult(ctx, "The result was shown to the user.");
                String result = args.path("result").asText();
                // A model that streamed its summary and repeats it as the result: the user has seen it once.
                if (!result.strip().equals(streamedText.strip())) {
                    TurnHistory.say(ctx, agent, result);
                }
                TurnEnd.finish(ctx, turn, DoneReason.COMPLETED);
                yield Next.STREAM_ENDED;
            }
            case "ask_followup_question" -> {
                modelCall.storeWithResult(ctx, "The question was shown to the user.");
                TurnHistory.say(ctx, agent, question(args));
                TurnEnd.finish(ctx, turn, DoneReason.COMPLETED);
                yield Next.STREAM_ENDED;
            }
            case "edit_file" -> editFileCalls.start(ctx, turn, agent, modelCall);
            default -> ideCalls.run(ctx, turn, agent, modelCall);
        };
    }

    private Next handoff(TurnContext ctx, AgentType agent, ModelToolCall modelCall) {
        JsonNode args = modelCall.call().arguments();
        AgentType target = AgentType.parse(args.path("agent").asText()).orElseThrow();
        if (target == agent) {
            modelCall.storeWithError(ctx, "you already are the " + agent.id() + " agent.");
        } else if (ctx.session().switchCount() >= settings.maxSwitches()) {
            modelCall.storeWithError(
                    ctx,
                    "this session reached its limit of " + settings.maxSwitches()
                            + " agent switches; continue the task yourself.");
        } else {
            modelCall.storeWithResult(ctx, "Handed off to the " + target.id() + " agent.");
            AgentSwitches.switchTo(
                    ctx, AgentSwitch.certain(agent, target, args.path("reason").asText()));
        }
        return Next.ANOTHER_STEP;
    }

    /** The loop guard: the call is not run, and the turn stops with an explanation the user can answer. */
    private void stopRepeating(TurnContext ctx, long turn, AgentType agent, ModelToolCall modelCall) {
        int repeats = settings.loopGuardRepeats();
        modelCall.storeWithResult(ctx, "Not executed: the same call was made " + repeats + " times in a row.");
        TurnEnd.stopAtStepLimit(
                ctx,
                turn,
                agent,
                "I stopped because I was repeating the same " + modelCall.call().name() + " call " + repeats
                        + " times in a row. Tell me how to continue.");
    }

    private boolean repeatsItself(TurnContext ctx, ToolCall call) {
        int earlier = settings.loopGuardRepeats() - 1;
        List<Message> recent = MessageStore.toolCallsSinceLastUserMessage(ctx.sql(), ctx.sessionId(), earlier);
        return recent.size() == earlier
                && recent.stream()
                        .map(m -> ToolCall.fromOpenAiArray(m.toolCalls()))
                        .allMatch(previous -> previous.name().equals(call.name())
                                && previous.arguments().equals(call.arguments()));
    }

    /** The call, or when its id is unusable (missing, too long, already used) the call with an id of ours. */
    private static ToolCall withUsableId(TurnContext ctx, ToolCall call) {
        boolean usable = call.id() != null
                && !call.id().isBlank()
                && call.id().length() <= FileEdits.MAX_CALL_ID_LENGTH
                && !MessageStore.callIdUsed(ctx.sql(), ctx.sessionId(), call.id());
        return usable
                ? call
                : call.withId("call_" + UUID.randomUUID().toString().replace("-", ""));
    }

    private static String question(JsonNode args) {
        StringBuilder text = new StringBuilder(args.path("question").asText());
        args.path("options").forEach(option -> text.append("\n- ").append(option.asText()));
        return text.toString();
    }
}
