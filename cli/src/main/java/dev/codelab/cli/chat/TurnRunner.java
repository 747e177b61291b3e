package dev.codelab.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.cli.chat.tools.ToolExecutor;
import dev.codelab.cli.chat.tools.ToolFailure;
import dev.codelab.client.ChatConnection;
import dev.codelab.client.ChatListener.Disconnect;
import dev.codelab.client.CodeLabException;
import dev.codelab.client.ServerFrame;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Plays the IDE's part of a turn: shows frames, runs tool calls in the workspace, asks for approvals, and
 * reconnects with {@code last_seq} when the socket drops — until a {@code done} ends the turn.
 */
final class TurnRunner {

    /** Waits before each reconnect attempt; the first is immediate. */
    private static final List<Duration> RECONNECT_DELAYS = List.of(
            Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));

    /** Error codes of a frame the server refused before running it: no {@code done} follows them. */
    private static final Set<String> REFUSALS = Set.of("NOTHING_TO_CONDENSE", "NOTHING_TO_CONTINUE");

    /**
     * How a turn ended: the {@code done} reason ({@code null} when the wait timed out or the frame was refused), the
     * last message text, and whether {@code continue} may resume it.
     */
    record Outcome(String reason, String answer, boolean resumable) {
        boolean completed() {
            return ServerFrame.Done.COMPLETED.equals(reason);
        }
    }

    private final ChatConnection chat;
    private final ChatEvents events;
    private final ToolExecutor tools;
    private final Approver approver;
    private final ChatPrinter printer;

    TurnRunner(ChatConnection chat, ChatEvents events, ToolExecutor tools, Approver approver, ChatPrinter printer) {
        this.chat = chat;
        this.events = events;
        this.tools = tools;
        this.approver = approver;
        this.printer = printer;
    }

    /**
     * Handles frames until a {@code done} that ends the turn.
     *
     * @param quietLimit give up when nothing arrives for this long (the gateway sends keep-alives and times
     *                   out stalled turns itself, so this only guards against a server that broke the protocol)
     */
    Outcome run(Duration quietLimit) throws InterruptedException {
        String answer = null;
        while (true) {
            Optional<ChatEvents.Event> next = events.next(quietLimit);
            if (next.isEmpty()) {
                printer.info("No answer for " + quietLimit.toSeconds() + " s; giving up on this turn.");
                return new Outcome(null, answer, false);
            }
            switch (next.get()) {
                case ChatEvents.Event.Dropped dropped -> reconnect(dropped.disconnect());
                case ChatEvents.Event.Frame(ServerFrame.Done done) -> {
                    if (done.endsTurn()) {
                        return new Outcome(done.reason(), answer, done.resumable());
                    }
                }
                case ChatEvents.Event.Frame(ServerFrame.AssistantMessage message) -> {
                    printer.text(message);
                    if (message.isFinal()) {
                        answer = message.content();
                    }
                }
                case ChatEvents.Event.Frame(ServerFrame.AgentSwitched switched) -> printer.agentSwitched(switched);
                case ChatEvents.Event.Frame(ServerFrame.ToolCall call) -> handle(call);
                case ChatEvents.Event.Frame(ServerFrame.ContextCondensed condensed) ->
                    printer.contextCondensed(condensed);
                case ChatEvents.Event.Frame(ServerFrame.Error error) -> {
                    printer.error(error);
                    if (REFUSALS.contains(error.errorCode())) {
                        return new Outcome(null, answer, false);
                    }
                }
                case ChatEvents.Event.Frame(ServerFrame.UsageWarning warning) ->
                    printer.info("budget: " + warning.content());
                case ChatEvents.Event.Frame(ServerFrame.Unknown unknown) -> {}
            }
        }
    }

    /** Answers a call that was waiting from an earlier connection, then follows the turn it continues. */
    Outcome resume(ServerFrame.ToolCall call, Duration quietLimit) throws InterruptedException {
        handle(call);
        return run(quietLimit);
    }

    private void handle(ServerFrame.ToolCall call) throws InterruptedException {
        printer.toolCall(call);
        if (call.requiresApproval()) {
            Approver.Decision decision = approver.decide(call);
            switch (decision.kind()) {
                case APPROVE -> answer(() -> chat.approve(call.callId()));
                case EDIT -> answer(() -> chat.approveEdited(call.callId(), decision.modifiedArguments()));
                case REJECT -> answer(() -> chat.reject(call.callId(), decision.feedback()));
            }
            return;
        }
        try {
            JsonNode result = tools.execute(call.toolName(), call.arguments());
            answer(() -> chat.toolResult(call.callId(), result));
            printer.toolOutcome(call.toolName(), null);
        } catch (ToolFailure failure) {
            answer(() -> chat.toolError(call.callId(), failure.getMessage()));
            printer.toolOutcome(call.toolName(), failure.getMessage());
        }
    }

    /**
     * Sends an answer; when the socket died meanwhile, reconnects and sends it again (the server still waits for it).
     */
    private void answer(Runnable send) throws InterruptedException {
        try {
            send.run();
        } catch (CodeLabException e) {
            if (!"send_failed".equals(e.error()) && !"not_connected".equals(e.error())) {
                throw e;
            }
            reconnect(new Disconnect(-1, e.getMessage(), e));
            send.run();
        }
    }

    private void reconnect(Disconnect disconnect) throws InterruptedException {
        if (chat.isOpen()) {
            return; // a drop noticed while idle, already repaired before this turn started
        }
        if (!disconnect.retryable()) {
            throw new CodeLabException(
                    0,
                    "disconnected",
                    "The server closed the connection (" + disconnect.statusCode() + " " + disconnect.reason() + ")",
                    null);
        }
        printer.info("Connection lost (" + disconnect.reason() + "); reconnecting...");
        CodeLabException last = null;
        for (Duration delay : RECONNECT_DELAYS) {
            Thread.sleep(delay.toMillis());
            try {
                chat.reconnect();
                printer.info("Reconnected; resuming after frame " + chat.lastSeq() + ".");
                return;
            } catch (CodeLabException e) {
                last = e;
            }
        }
        throw last;
    }
}
