package dev.codelab.agent.context;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.stringContainsInOrder;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.store.MessageStatus;
import dev.codelab.agent.store.MessageStore.Message;
import dev.codelab.agent.tools.ToolCall;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The summary prompt keeps what a coder needs, and the transcript it is given fits the summarising call. */
class SummaryPromptTest {

    private long seq = 1;

    private Message message(String role, String content, JsonNode calls, String callId, MessageStatus status) {
        return new Message(
                UUID.randomUUID(),
                ++seq,
                role,
                content,
                role.equals("assistant") ? "coder" : null,
                calls,
                callId,
                0,
                status,
                OffsetDateTime.now(),
                null);
    }

    @Test
    void theInstructionsAskForEverythingACoderNeedsToGoOn() {
        String instructions = SummaryPrompt.load().instructions(1000);

        assertThat(
                instructions,
                stringContainsInOrder(List.of(
                        "## Goals and standing instructions",
                        "## Files",
                        "## Decisions",
                        "## Commands and results",
                        "## Current state and open problems")));
        assertThat(instructions, containsString("carry all of its instructions over"));
        assertThat(instructions, containsString("what changed and why"));
        assertThat(instructions, containsString("Keep exact error text"));
        assertThat(instructions, containsString("never invent anything"));
        assertThat(instructions, containsString("Write at most 600 words."));
        assertThat(instructions, not(containsString("{{")));
    }

    @Test
    void theRequestCarriesThePreviousSummaryAndTheTranscript() {
        List<Message> older = List.of(
                message(
                        "assistant",
                        "Let me look.",
                        new ToolCall("c1", "read_file", """
                                {"path":"a.py"}\
                                """).toOpenAiArray(),
                        null,
                        MessageStatus.COMPLETE),
                message("tool", "print('a')", null, "c1", MessageStatus.COMPLETE),
                message("user", "Use tabs", null, null, MessageStatus.COMPLETE),
                message("assistant", "Half", null, null, MessageStatus.ERROR));

        JsonNode messages =
                SummaryPrompt.load().messages(Optional.of("- earlier goals"), Transcript.of(older, 10_000), 1000);

        assertThat(messages.get(0).path("role").asText(), is("system"));
        assertThat(messages.get(1).path("content").asText(), is("""
                <previous_summary>
                - earlier goals
                </previous_summary>

                <conversation>
                ASSISTANT (coder):
                Let me look.
                CALLED read_file c1: {"path":"a.py"}

                TOOL RESULT (c1):
                print('a')

                USER:
                Use tabs

                ASSISTANT (coder):
                Half
                [answer cut off: error]
                </conversation>

                Write one summary that replaces the previous summary and the conversation above."""));
    }

    @Test
    void aLongTranscriptCutsResultsFirstThenLeavesOutTheOldestMessages() {
        List<Message> older = List.of(
                message("user", "first ask", null, null, MessageStatus.COMPLETE),
                message("tool", "x".repeat(10_000), null, "c1", MessageStatus.COMPLETE),
                message("user", "latest ask", null, null, MessageStatus.COMPLETE));

        String cut = Transcript.of(older, 5_000);
        String dropped = Transcript.of(older, 200);

        assertThat(cut, containsString("x".repeat(4000) + " [... 6000 more characters]"));
        assertThat(cut.length() <= 5_000, is(true));
        assertThat(dropped, is("[2 older messages left out for length]\n\nUSER:\nlatest ask"));
    }
}
