package dev.codelab.llmproxy.provider;

/** A model provider's wire protocol, translated to and from OpenAI chat completions. */
public interface Provider {

    /** A non-streaming call: the answer as an OpenAI {@code chat.completion} object. */
    ChatCompletion complete(ProviderRequest request);

    /**
     * A streaming call: each provider event is translated and handed to {@code sink} as soon as it is parsed,
     * ending with the finish chunk and a usage chunk. Returns when the provider's stream is complete; throws
     * {@link ProviderException} when it fails.
     */
    void stream(ProviderRequest request, ChunkSink sink);
}
