package dev.codelab.agent.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.AgentSettings;
import dev.codelab.agent.llm.LlmClient;
import dev.codelab.agent.llm.LlmCompletion;
import dev.codelab.agent.llm.LlmFailure;
import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.store.MessageStore.Message;
import dev.codelab.agent.store.SessionStore;
import dev.codelab.agent.store.Summaries;
import dev.codelab.agent.store.Summaries.Summary;
import dev.codelab.agent.turn.Events;
import dev.codelab.agent.turn.TurnContext;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a session's prompt holds (docs/agent.md, "Long sessions"): the history fitted to the model's window, and
 * condensed first when it would pass {@code condense-threshold} of it — the older conversation replaced by one
 * LLM-written summary (stored with the range of messages it replaces; the messages themselves stay), the newest
 * quarter of the window kept as it is. A summary that cannot be written leaves the prompt to be trimmed as before,
 * and the {@code context_condensed} event says so; it never fails the turn.
 */
public final class SessionContext {

    private final AgentSettings settings;
    private final LlmClient llm;
    private final ModelWindows windows;
    private final SummaryPrompt summaryPrompt = SummaryPrompt.load();

    public SessionContext(AgentSettings settings, LlmClient llm, ModelWindows windows) {
        this.settings = settings;
        this.llm = llm;
        this.windows = windows;
    }

    /**
     * The prompt of a step's call, for {@code tools} and the agent's {@code systemPrompt}; {@code estimatedTokens}
     * includes the tools (the raw estimate, which {@link #calibrate} compares with the provider's count).
     *
     * @throws dev.codelab.agent.llm.LlmCancelled when the turn was cancelled during the summary call
     */
    public PromptBuilder.Prompt forStep(TurnContext ctx, String systemPrompt, JsonNode tools) {
        Plan plan = plan(ctx.sql(), ctx.sessionId(), systemPrompt, tools);
        List<Message> history = MessageStore.all(ctx.sql(), ctx.sessionId());
        Conversation conversation = Conversation.of(history, Summaries.latest(ctx.sql(), ctx.sessionId()));
        if (untrimmedTokens(plan, systemPrompt, conversation) > plan.budget().condenseAt()) {
            conversation = condense(ctx, plan, history, conversation, systemPrompt, CondenseTrigger.AUTO)
                    .orElse(conversation);
        }
        PromptBuilder.Prompt fitted = fit(plan, systemPrompt, conversation);
        return new PromptBuilder.Prompt(fitted.messages(), fitted.estimatedTokens() + plan.toolsRaw());
    }

    /** Condenses now ({@code condense} from the client, after {@link #canCondense}). */
    public void condenseNow(TurnContext ctx, String systemPrompt, JsonNode tools) {
        Plan plan = plan(ctx.sql(), ctx.sessionId(), systemPrompt, tools);
        List<Message> history = MessageStore.all(ctx.sql(), ctx.sessionId());
        Conversation conversation = Conversation.of(history, Summaries.latest(ctx.sql(), ctx.sessionId()));
        condense(ctx, plan, history, conversation, systemPrompt, CondenseTrigger.MANUAL);
    }

    /** Whether a {@code condense} would summarise anything. */
    public boolean canCondense(Sql sql, String sessionId, String systemPrompt, JsonNode tools) {
        Plan plan = plan(sql, sessionId, systemPrompt, tools);
        Conversation conversation = Conversation.of(MessageStore.all(sql, sessionId), Summaries.latest(sql, sessionId));
        return !older(plan, conversation).isEmpty();
    }

    /** Keeps the provider's count of the prompt against its estimate, for the session's next budgets. */
    public void calibrate(Sql tx, String sessionId, PromptBuilder.Prompt prompt, int reportedPromptTokens) {
        if (reportedPromptTokens > 0) {
            SessionStore.setTokenRatio(
                    tx, sessionId, TokenEstimate.ratio(reportedPromptTokens, prompt.estimatedTokens()));
        }
    }

    /**
     * Summarises the older part of the conversation and stores the summary; the conversation with it, or empty when
     * there was nothing to summarise or the summary failed (then the event says that the prompt is trimmed instead).
     */
    private Optional<Conversation> condense(
            TurnContext ctx,
            Plan plan,
            List<Message> history,
            Conversation conversation,
            String systemPrompt,
            CondenseTrigger trigger) {
        List<Message> older = older(plan, conversation);
        if (older.isEmpty()) {
            return Optional.empty();
        }
        List<Message> recent =
                conversation.rest().subList(older.size(), conversation.rest().size());
        int before = untrimmedTokens(plan, systemPrompt, conversation);
        Optional<String> previous = conversation.summary().map(Summary::content);
        String failure;
        try {
            String text = summarise(ctx, plan, previous, older).strip();
            if (!text.isEmpty()) {
                // the new summary covers the previous one's messages too
                long firstSeq = conversation
                        .summary()
                        .map(Summary::firstSeq)
                        .orElse(older.getFirst().seq());
                Summary summary = new Summary(firstSeq, older.getLast().seq(), text);
                Conversation condensed = new Conversation(conversation.firstUser(), Optional.of(summary), recent);
                int after = untrimmedTokens(plan, systemPrompt, condensed);
                int summarised = summarisedCount(history, summary, conversation);
                Summaries.Condensing condensing =
                        new Summaries.Condensing(summary, summarised, before, after, trigger.wire());
                ctx.write(tx -> Summaries.insert(tx, ctx.sessionId(), condensing));
                ctx.sink().send(Events.contextCondensed(trigger, before, after, summarised, null));
                return Optional.of(condensed);
            }
            failure = "the model answered with an empty summary";
        } catch (LlmFailure e) {
            failure = e.getMessage();
        }
        int trimmed = plan.tokens(
                plan.toolsRaw() + fit(plan, systemPrompt, conversation).estimatedTokens());
        ctx.sink().send(Events.contextCondensed(trigger, before, trimmed, 0, trimmedInstead(failure)));
        return Optional.empty();
    }

    private static String trimmedInstead(String failure) {
        return "The summary could not be written (" + failure
                + "); the oldest messages are left out of the prompt instead";
    }

    /** How many messages the summary stands for: those it covers, except the first user message, which stays. */
    private static int summarisedCount(List<Message> history, Summary summary, Conversation conversation) {
        long firstUserSeq = conversation.firstUser().map(Message::seq).orElse(-1L);
        return (int) history.stream()
                .filter(m -> m.seq() >= summary.firstSeq() && m.seq() <= summary.lastSeq() && m.seq() != firstUserSeq)
                .count();
    }

    /**
     * The oldest messages of the conversation's unsummarised part: all but the newest {@code keepRecent} tokens, or
     * half of what the threshold leaves beside the system prompt and tools when that is less (a small window).
     */
    private List<Message> older(Plan plan, Conversation conversation) {
        List<List<Message>> units = PromptBuilder.units(conversation.rest());
        int keep = Math.min(
                plan.raw(plan.budget().keepRecent()), (plan.raw(plan.budget().condenseAt()) - plan.fixedRaw()) / 2);
        int kept = 0;
        int split = units.size();
        while (split > 0) {
            int cost = plan.builder().estimate(units.get(split - 1));
            if (split < units.size() && kept + cost > keep) {
                break;
            }
            kept += cost;
            split--;
        }
        List<Message> older = new ArrayList<>();
        units.subList(0, split).forEach(older::addAll);
        return older;
    }

    private String summarise(TurnContext ctx, Plan plan, Optional<String> previous, List<Message> older) {
        Optional<String> model = settings.condenseModel().or(settings::llmModel);
        ContextBudget budget =
                ContextBudget.of(windows.of(model), settings.contextWindowCap(), settings.condenseThreshold());
        int fixed = TokenEstimate.of(summaryPrompt.instructions(budget.summaryTokens()))
                + previous.map(TokenEstimate::of).orElse(0);
        int transcriptChars = Math.max(0, plan.raw(budget.promptTokens() - budget.summaryTokens()) - fixed) * 4;
        ObjectNode request = llm.newRequest();
        model.ifPresent(name -> request.put("model", name));
        request.set(
                "messages",
                summaryPrompt.messages(previous, Transcript.of(older, transcriptChars), budget.summaryTokens()));
        request.put("max_tokens", budget.summaryTokens());
        LlmCompletion summary = llm.complete(request, ctx.summaryCall(), ctx.cancellation());
        return summary.text();
    }

    /** The calibrated tokens of the whole prompt, nothing trimmed. */
    private static int untrimmedTokens(Plan plan, String systemPrompt, Conversation conversation) {
        return plan.tokens(plan.toolsRaw()
                + plan.builder()
                        .build(systemPrompt, conversation, Integer.MAX_VALUE)
                        .estimatedTokens());
    }

    private PromptBuilder.Prompt fit(Plan plan, String systemPrompt, Conversation conversation) {
        return plan.builder()
                .build(systemPrompt, conversation, plan.raw(plan.budget().promptTokens()) - plan.toolsRaw());
    }

    private Plan plan(Sql sql, String sessionId, String systemPrompt, JsonNode tools) {
        ContextBudget budget = ContextBudget.of(
                windows.of(settings.llmModel()), settings.contextWindowCap(), settings.condenseThreshold());
        double ratio = SessionStore.tokenRatio(sql, sessionId).orElse(1.0);
        // in a small window one tool result may take at most what condensing keeps, or it alone would not fit
        int toolResultBytes = Math.min(settings.maxToolResultBytes(), (int) (budget.keepRecent() / ratio) * 4);
        return new Plan(
                budget,
                ratio,
                TokenEstimate.of(Json.write(tools)),
                TokenEstimate.of(systemPrompt),
                new PromptBuilder(toolResultBytes));
    }

    /**
     * A session's budget, its calibration, what its tool definitions and system prompt take (raw estimates), and
     * the builder that cuts its tool results.
     */
    private record Plan(ContextBudget budget, double ratio, int toolsRaw, int systemRaw, PromptBuilder builder) {

        int fixedRaw() {
            return toolsRaw + systemRaw;
        }

        /** Calibrated tokens of a raw estimate. */
        int tokens(int raw) {
            return (int) Math.ceil(raw * ratio);
        }

        /** The raw estimate that calibrates to {@code tokens}. */
        int raw(int tokens) {
            return (int) (tokens / ratio);
        }
    }
}
