package dev.codelab.client;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ServerFrameTest {

    @Test
    void agentSwitched() {
        assertThat(
                ServerFrame.parse("""
                {"type":"agent_switched","from_agent":"orchestrator","to_agent":"coder","reason":"code change",
                 "confidence":"high","metadata":{"from_agent":"orchestrator"},"seq":1}"""),
                is(new ServerFrame.AgentSwitched(1, "orchestrator", "coder", "code change", "high")));
    }

    @Test
    void assistantMessageDeltaAndFinal() {
        ServerFrame delta = ServerFrame.parse("""
                {"type":"assistant_message","token":"Creating","is_final":false,"agent_name":"coder","seq":2}""");
        assertThat(delta, is(new ServerFrame.AssistantMessage(2, "Creating", false, null, "coder")));
        assertThat(
                ServerFrame.parse("""
                {"type":"assistant_message","token":" the widget","is_final":true,"content":"Creating the widget",
                 "agent_name":"coder","seq":3}"""),
                is(new ServerFrame.AssistantMessage(3, " the widget", true, "Creating the widget", "coder")));
    }

    @Test
    void toolCall() {
        ServerFrame.ToolCall call = (ServerFrame.ToolCall) ServerFrame.parse("""
                {"type":"tool_call","call_id":"call_1","tool_name":"write_file",
                 "arguments":{"path":"lib/w.dart","content":"x"},
                 "diff":"--- a/lib/w.dart\\n+++ b/lib/w.dart\\n",
                 "requires_approval":true,"reason":"File modification requires user approval",
                 "agent_name":"coder","seq":4}""");

        assertThat(call.seq(), is(4L));
        assertThat(call.callId(), is("call_1"));
        assertThat(call.toolName(), is("write_file"));
        assertThat(call.arguments().toString(), is("""
                {"path":"lib/w.dart","content":"x"}"""));
        assertThat(call.requiresApproval(), is(true));
        assertThat(call.reason(), is("File modification requires user approval"));
        assertThat(call.agentName(), is("coder"));
        assertThat(call.diff(), is("--- a/lib/w.dart\n+++ b/lib/w.dart\n"));
    }

    @Test
    void toolCallWithoutApprovalHasNoReason() {
        ServerFrame.ToolCall call = (ServerFrame.ToolCall) ServerFrame.parse("""
                {"type":"tool_call","call_id":"c","tool_name":"read_file","arguments":{"path":"a"},
                 "requires_approval":false,"seq":9}""");

        assertThat(call.requiresApproval(), is(false));
        assertThat(call.reason(), is((String) null));
        assertThat(call.diff(), is((String) null));
    }

    @Test
    void doneAndWhetherItEndsTheTurn() {
        ServerFrame.Done done = (ServerFrame.Done) ServerFrame.parse("""
                        {"type":"done","reason":"awaiting_approval","seq":5}""");

        assertThat(done, is(new ServerFrame.Done(5, "awaiting_approval")));
        assertThat(done.endsTurn(), is(false));
        assertThat(new ServerFrame.Done(6, "awaiting_tool").endsTurn(), is(false));
        assertThat(new ServerFrame.Done(7, "completed").endsTurn(), is(true));
        assertThat(new ServerFrame.Done(7, "error").endsTurn(), is(true));
    }

    @Test
    void aResumableDoneAndTheContextCondensedFrame() {
        String resumableDone = """
                {"type":"done","reason":"error","resumable":true,"seq":4}""";
        assertThat(ServerFrame.parse(resumableDone), is(new ServerFrame.Done(4, "error", true)));
        assertThat(
                ServerFrame.parse("""
                {"type":"context_condensed","trigger":"auto","method":"summary","tokens_before":90000,\
                "tokens_after":20000,"messages_summarised":120,"seq":11}"""),
                is(new ServerFrame.ContextCondensed(11, "auto", "summary", 90_000, 20_000, 120, null)));
        assertThat(
                ServerFrame.parse("""
                {"type":"context_condensed","trigger":"manual","method":"trimmed","tokens_before":9,"tokens_after":5,\
                "messages_summarised":0,"content":"The summary could not be written","seq":12}"""),
                is(new ServerFrame.ContextCondensed(
                        12, "manual", "trimmed", 9, 5, 0, "The summary could not be written")));
    }

    @Test
    void errorWithAndWithoutOptionalFields() {
        assertThat(
                ServerFrame.parse("""
                {"type":"error","content":"Too many messages","error_code":"RATE_LIMIT_EXCEEDED",
                 "retry_after":12,"seq":8}"""),
                is(new ServerFrame.Error(8, "Too many messages", "RATE_LIMIT_EXCEEDED", 12, null)));
        ServerFrame withCallId = ServerFrame.parse("""
                {"type":"error","content":"not awaited","error_code":"INVALID_CALL_ID","call_id":"c1","seq":9}""");
        assertThat(withCallId, is(new ServerFrame.Error(9, "not awaited", "INVALID_CALL_ID", null, "c1")));
    }

    @Test
    void usageWarningCarriesItsLimitAndReset() {
        assertThat(
                ServerFrame.parse("""
                {"type":"usage_warning","content":"You have used 80% of your Monthly budget","limit":"monthly_usd",
                 "resets_at":"2027-01-01T00:00:00Z","seq":3}"""),
                is(new ServerFrame.UsageWarning(
                        3, "You have used 80% of your Monthly budget", "monthly_usd", "2027-01-01T00:00:00Z")));
    }

    @Test
    void unknownTypeIsKeptWhole() {
        ServerFrame.Unknown unknown = (ServerFrame.Unknown) ServerFrame.parse("""
                        {"type":"typing","who":"coder","seq":10}""");

        assertThat(unknown.seq(), is(10L));
        assertThat(unknown.type(), is("typing"));
        assertThat(unknown.json().path("who").asText(), is("coder"));
    }

    @Test
    void notJsonIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ServerFrame.parse("not json"));
    }
}
