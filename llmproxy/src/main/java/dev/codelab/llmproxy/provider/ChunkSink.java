package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Receives a provider stream translated into OpenAI {@code chat.completion.chunk} objects, one at a time. */
@FunctionalInterface
public interface ChunkSink {

    void chunk(ObjectNode chunk);

    /**
     * A chunk the provider sent in OpenAI form already, with its JSON {@code text}: a sink that writes the chunk may
     * pass that text on instead of writing the chunk again.
     */
    default void relay(ObjectNode chunk, String text) {
        chunk(chunk);
    }
}
