package dev.codelab.llmproxy.fake;

import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the fake model says: text, and at most one tool call. */
record FakeReply(String text, Optional<ToolCall> toolCall) {

    record ToolCall(String name, ObjectNode arguments) {
    }
}
