package dev.codelab.llmproxy.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** What the fake model says: text, and at most one tool call. */
record FakeReply(String text, Optional<ToolCall> toolCall) {

    record ToolCall(String name, ObjectNode arguments) {}
}
