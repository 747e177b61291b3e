package dev.codelab.cli.chat;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.client.ServerFrame;
import dev.codelab.shared.http.Json;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ChatPrinterTest {

    private static final ServerFrame.ToolCall WRITE = new ServerFrame.ToolCall(
            6,
            "c.write",
            "write_file",
            Json.MAPPER.createObjectNode().put("path", "a.txt").put("content", "new\n"),
            true,
            "approve",
            "coder",
            "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n");

    private static String printed(boolean colour) {
        StringWriter out = new StringWriter();
        Terminal terminal =
                new Terminal(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(out));
        new ChatPrinter(terminal, true, colour).toolCall(WRITE);
        return out.toString();
    }

    @Test
    void theDiffFollowsTheCallPlainWhenNotOnATerminal() {
        assertThat(
                printed(false),
                is("* write_file {\"path\":\"a.txt\",\"content\":\"new\\n\"}  (needs approval: approve)\n"
                        + "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n"));
    }

    @Test
    void onATerminalTheDiffIsColoured() {
        assertThat(
                printed(true),
                is("* write_file {\"path\":\"a.txt\",\"content\":\"new\\n\"}  (needs approval: approve)\n"
                        + "\u001B[1m--- a/a.txt\u001B[0m\n\u001B[1m+++ b/a.txt\u001B[0m\n\u001B[36m@@ -1 +1 "
                        + "@@\u001B[0m\n"
                        + "\u001B[31m-old\u001B[0m\n\u001B[32m+new\u001B[0m\n"));
    }
}
