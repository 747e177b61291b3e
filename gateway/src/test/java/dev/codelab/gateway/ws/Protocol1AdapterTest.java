package dev.codelab.gateway.ws;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Protocol1AdapterTest {

    private final Protocol1Adapter adapter = new Protocol1Adapter();

    @Test
    void messageCutShortIsSentWithItsTextInsteadOfDone() throws IOException {
        String half = """
                {"type":"assistant_message","token":"Half","is_final":false,"agent_name":"coder","seq":1}""";
        String done = """
                {"type":"assistant_message","token":" done","is_final":false,"agent_name":"coder","seq":2}""";
        String cancelled = """
                {"type":"done","reason":"cancelled","seq":3}""";
        String cutShort = """
                {"type":"assistant_message","token":"Half done","is_final":true,"agent_name":"coder","seq":3,\
                "content":"Half done"}""";
        String completed = """
                {"type":"done","reason":"completed","seq":4}""";

        assertThat(adapter.adapt(frame(half)), is(Optional.empty()));
        assertThat(adapter.adapt(frame(done)), is(Optional.empty()));
        assertThat(Json.write(adapter.adapt(frame(cancelled)).orElseThrow()), is(cutShort));
        assertThat(adapter.adapt(frame(completed)), is(Optional.empty()));
    }

    @Test
    void finalPieceWithoutContentUsesTheCollectedText() throws IOException {
        String first = """
                {"type":"assistant_message","token":"a","is_final":false,"seq":1}""";
        String last = """
                {"type":"assistant_message","token":"b","is_final":true,"seq":2}""";

        adapter.adapt(frame(first));
        assertThat(adapter.adapt(frame(last)).orElseThrow().get("content").asText(), is("ab"));
    }

    @Test
    void aToolCallGoesAsItWasInProtocol1WithoutTheDiff() throws IOException {
        String plain = """
                {"type":"tool_call","call_id":"c.write","tool_name":"write_file",\
                "arguments":{"path":"a","content":"b"},"requires_approval":true,"seq":5}""";
        ObjectNode withDiff = frame(plain);
        withDiff.put("diff", "--- a/a\n+++ b/a\n");

        assertThat(Json.write(adapter.adapt(withDiff).orElseThrow()), is(plain));
        assertThat(Json.write(adapter.adapt(frame(plain)).orElseThrow()), is(plain));
    }

    @Test
    void theShippedIdeGetsNoContextCondensedFrame() throws IOException {
        String condensed = """
                {"type":"context_condensed","trigger":"auto","method":"summary",\
                "tokens_before":9,"tokens_after":3,"messages_summarised":4,"seq":7}""";

        assertThat(adapter.adapt(frame(condensed)), is(Optional.empty()));
    }

    private static ObjectNode frame(String json) throws IOException {
        return (ObjectNode) Json.read(json);
    }
}
