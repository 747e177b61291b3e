package dev.codelab.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.client.testing.FakeCodeLab;
import dev.codelab.client.testing.FakeSession;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent side of the fake gateway, following the fake model's conversation rules: "create a file X with Y"
 * → an approved {@code write_file}; "read X" → {@code read_file} without approval; a tool result → a summary;
 * "fail" → an agent error; "break" → an answer the model breaks off ({@code done} resumable), which
 * {@code continue} finishes; {@code condense} → a {@code context_condensed}, the second time a refusal (nothing
 * left to condense). Text is streamed word by word.
 */
final class ScriptedAgent implements FakeCodeLab.Script {

    private static final Pattern CREATE = Pattern.compile("create a file (\\S+) with (.+)");
    private static final Pattern READ = Pattern.compile("read (\\S+)");

    private ObjectNode pendingCall;
    private boolean condensed;
    private Runnable midAnswer = () -> {};

    /** A write_file call that awaits approval from an earlier connection (the fake's pending approval call_9). */
    ScriptedAgent awaiting(String callId, String path, String content) {
        pendingCall = call("write_file", true).put("call_id", callId);
        ((ObjectNode) pendingCall.get("arguments")).put("path", path).put("content", content);
        return this;
    }

    /** Runs once in the middle of the next summary (e.g. to drop the connection). */
    ScriptedAgent midAnswer(Runnable action) {
        this.midAnswer = action;
        return this;
    }

    @Override
    public void onFrame(JsonNode frame, FakeSession session) {
        switch (frame.path("type").asText()) {
            case "user_message" -> userMessage(frame.path("content").asText(), session);
            case "hitl_decision" -> decision(frame, session);
            case "tool_result" -> {
                String summary = frame.has("error")
                        ? "I could not do that: " + frame.path("error").asText()
                        : "Done: " + frame.path("result").path("path").asText("the tool ran") + " is ready.";
                say(summary, session);
                session.emit("""
                        {"type":"done","reason":"completed"}""");
            }
            case "switch_agent" -> {
                session.emit(FakeCodeLab.JSON_MAPPER
                        .createObjectNode()
                        .put("type", "agent_switched")
                        .put("from_agent", "orchestrator")
                        .put("to_agent", frame.path("agent_type").asText())
                        .put("reason", frame.path("reason").asText())
                        .put("confidence", "high"));
                session.emit("""
                        {"type":"done","reason":"completed"}""");
            }
            case "continue" -> {
                say("off and is finished.", session);
                session.emit("""
                        {"type":"done","reason":"completed"}""");
            }
            case "condense" -> {
                if (condensed) {
                    session.emit("{\"type\":\"error\",\"content\":\"Nothing to condense: the conversation is short "
                            + "enough to be kept as it is\",\"error_code\":\"NOTHING_TO_CONDENSE\"}");
                } else {
                    condensed = true;
                    session.emit("{\"type\":\"context_condensed\",\"trigger\":\"manual\",\"method\":\"summary\","
                            + "\"tokens_before\":91000,\"tokens_after\":22000,\"messages_summarised\":140}");
                    session.emit("""
                            {"type":"done","reason":"completed"}""");
                }
            }
            default -> {}
        }
    }

    private void userMessage(String content, FakeSession session) {
        session.emit("""
                        {"type":"agent_switched","from_agent":"orchestrator","to_agent":"coder",\
                        "reason":"code change","confidence":"high"}""");
        Matcher create = CREATE.matcher(content);
        Matcher read = READ.matcher(content);
        if (content.equals("slow")) {
            say("Thinking about it", session);
            Thread.ofVirtual()
                    .start(
                            () -> { // the gateway keeps reading while a turn runs; so must the fake
                                while (session.received().stream()
                                        .noneMatch(f -> f.path("type").asText().equals("cancel"))) {
                                    sleepBriefly();
                                }
                                session.emit("""
                                        {"type":"done","reason":"cancelled"}""");
                            });
        } else if (content.equals("break")) {
            say("The answer broke", session);
            session.emit("{\"type\":\"error\",\"content\":\"The language model failed: the LLM stream ended before "
                    + "[DONE]\",\"error_code\":\"LLM_ERROR\"}");
            session.emit("""
                    {"type":"done","reason":"error","resumable":true}""");
        } else if (content.equals("fail")) {
            session.emit("""
                    {"type":"error","content":"The model is unavailable","error_code":"LLM_ERROR"}""");
            session.emit("""
                    {"type":"done","reason":"error"}""");
        } else if (create.matches()) {
            say("Creating " + create.group(1) + ".", session);
            pendingCall = call("write_file", true);
            ((ObjectNode) pendingCall.get("arguments"))
                    .put("path", create.group(1))
                    .put("content", create.group(2));
            session.emit(pendingCall.deepCopy());
            session.emit("""
                    {"type":"done","reason":"awaiting_approval"}""");
        } else if (read.matches()) {
            ObjectNode call = call("read_file", false);
            ((ObjectNode) call.get("arguments")).put("path", read.group(1));
            session.emit(call);
            session.emit("""
                    {"type":"done","reason":"awaiting_tool"}""");
        } else {
            say("You said: " + content, session);
            session.emit("""
                    {"type":"done","reason":"completed"}""");
        }
    }

    private void decision(JsonNode frame, FakeSession session) {
        switch (frame.path("decision").asText()) {
            case "approve", "edit" -> {
                ObjectNode approved = pendingCall.deepCopy().put("requires_approval", false);
                approved.remove("reason");
                if (frame.has("modified_arguments")) {
                    approved.set("arguments", frame.get("modified_arguments"));
                }
                session.emit(approved);
                session.emit("""
                        {"type":"done","reason":"awaiting_tool"}""");
            }
            default -> {
                say("Understood, I will not do that.", session);
                session.emit("""
                        {"type":"done","reason":"completed"}""");
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ObjectNode call(String tool, boolean approval) {
        ObjectNode call = FakeCodeLab.JSON_MAPPER
                .createObjectNode()
                .put("type", "tool_call")
                .put("call_id", "call_" + tool)
                .put("tool_name", tool)
                .put("requires_approval", approval)
                .put("agent_name", "coder");
        call.putObject("arguments");
        if (approval) {
            call.put("reason", "File modification requires user approval");
        }
        return call;
    }

    private void say(String text, FakeSession session) {
        String[] words = text.split("(?= )");
        for (int i = 0; i < words.length; i++) {
            if (i == words.length / 2) {
                midAnswer.run();
                midAnswer = () -> {};
            }
            ObjectNode frame = FakeCodeLab.JSON_MAPPER
                    .createObjectNode()
                    .put("type", "assistant_message")
                    .put("token", words[i])
                    .put("is_final", i == words.length - 1)
                    .put("agent_name", "coder");
            if (i == words.length - 1) {
                frame.put("content", text);
            }
            session.emit(frame);
        }
    }
}
