package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An OpenAI stream: each chunk is relayed as the provider wrote it. The answer ends at {@code [DONE]}, or at the end
 * of the body once a chunk carried a {@code finish_reason}.
 */
final class OpenAiStreamMapper implements StreamMapper {

    private final String provider;
    private final ChunkSink sink;
    private boolean finished;

    OpenAiStreamMapper(String provider, ChunkSink sink) {
        this.provider = provider;
        this.sink = sink;
    }

    @Override
    public boolean event(String name, String data) {
        if (data.equals("[DONE]")) {
            return true;
        }
        ObjectNode chunk = ProviderJson.event(provider, data);
        if (chunk.has("error")) {
            throw ProviderException.broken(provider, ProviderException.messageOf(data));
        }
        finished |= chunk.path("choices").path(0).hasNonNull("finish_reason");
        sink.relay(chunk, data);
        return false;
    }

    @Override
    public void end() {
        if (!finished) {
            throw ProviderException.broken(provider, "stream ended before the answer was complete");
        }
    }
}
