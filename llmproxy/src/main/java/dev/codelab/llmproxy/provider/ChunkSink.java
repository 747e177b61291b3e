package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Receives a provider stream translated into OpenAI {@code chat.completion.chunk} objects, one at a time. */
@FunctionalInterface
public interface ChunkSink {

    void chunk(ObjectNode chunk);
}
