package dev.codelab.llmproxy.provider;

/** Translates one provider stream, event by event, into OpenAI chunks; holds that stream's state, does no I/O. */
public interface StreamMapper {

    /**
     * Translates one event ({@code name} is null where the framing has no names); true when it ended the answer.
     * A provider error inside the stream is thrown as a {@link ProviderException}.
     */
    boolean event(String name, String data);

    /** The provider's body ended before an event ended the answer: throws unless the answer is complete. */
    void end();
}
