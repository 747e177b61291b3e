package dev.codelab.cli.chat;

import dev.codelab.client.ServerFrame;
import java.io.PrintWriter;

/**
 * How a conversation looks in the terminal. Interactive: text streams to {@code out} as it arrives. One-shot:
 * only the turn's final answer goes to {@code out} (scriptable); everything else goes to {@code err}. The diff of
 * a file change is printed under its tool call, coloured (ANSI) when {@code colour} is set.
 */
final class ChatPrinter {

    private static final int ARGUMENT_PREVIEW_CHARS = 160;
    private static final String RESET = "\u001B[0m";

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean streamText;
    private final boolean colour;
    private boolean midLine;

    ChatPrinter(Terminal terminal, boolean streamText, boolean colour) {
        this.out = terminal.out();
        this.err = terminal.err();
        this.streamText = streamText;
        this.colour = colour;
    }

    void agentSwitched(ServerFrame.AgentSwitched frame) {
        info("[" + frame.fromAgent() + " -> " + frame.toAgent() + (frame.reason() == null ? "" : ": " + frame.reason())
                + "]");
    }

    void text(ServerFrame.AssistantMessage frame) {
        if (!streamText) {
            return;
        }
        out.print(frame.token());
        midLine = !frame.isFinal();
        if (frame.isFinal()) {
            out.println();
        }
        out.flush();
    }

    void toolCall(ServerFrame.ToolCall call) {
        String arguments = call.arguments().toString();
        if (arguments.length() > ARGUMENT_PREVIEW_CHARS) {
            arguments = arguments.substring(0, ARGUMENT_PREVIEW_CHARS) + "...";
        }
        info("* " + call.toolName() + " " + arguments
                + (call.requiresApproval()
                        ? "  (needs approval" + (call.reason() == null ? "" : ": " + call.reason()) + ")"
                        : ""));
        if (call.diff() != null && !call.diff().isEmpty()) {
            call.diff().lines().forEach(line -> info(colour ? coloured(line) : line));
        }
    }

    private static String coloured(String diffLine) {
        String code;
        if (diffLine.startsWith("+++") || diffLine.startsWith("---")) {
            code = "\u001B[1m";
        } else if (diffLine.startsWith("@@")) {
            code = "\u001B[36m";
        } else if (diffLine.startsWith("+")) {
            code = "\u001B[32m";
        } else if (diffLine.startsWith("-")) {
            code = "\u001B[31m";
        } else {
            return diffLine;
        }
        return code + diffLine + RESET;
    }

    void toolOutcome(String toolName, String error) {
        info(error == null ? "  " + toolName + ": done" : "  " + toolName + " failed: " + error);
    }

    void error(ServerFrame.Error frame) {
        info("error " + frame.errorCode() + ": " + frame.content()
                + (frame.retryAfter() == null ? "" : " (retry after " + frame.retryAfter() + " s)"));
    }

    /** A condensed context: how much was summarised and saved, or why the summary failed. */
    void contextCondensed(ServerFrame.ContextCondensed frame) {
        info(
                frame.method().equals("summary")
                        ? "[context condensed: " + frame.messagesSummarised() + " older messages summarised, about "
                                + frame.tokensBefore() + " -> " + frame.tokensAfter() + " tokens]"
                        : "[context trimmed, about " + frame.tokensBefore() + " -> " + frame.tokensAfter() + " tokens: "
                                + frame.content() + "]");
    }

    /** The whole answer, in one-shot mode. */
    void answer(String text) {
        if (!streamText && text != null) {
            out.println(text);
            out.flush();
        }
    }

    void info(String line) {
        PrintWriter target = streamText ? out : err;
        if (midLine) {
            target.println();
            midLine = false;
        }
        target.println(line);
        target.flush();
    }
}
