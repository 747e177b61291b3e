package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.registry.Deployment;
import java.net.URI;
import java.util.Map;

/**
 * One provider protocol's translation to and from OpenAI chat completions, with no I/O: where a request goes and
 * with which headers, the body it carries, and how the answer, whole or streamed, reads in OpenAI's terms.
 * {@link HttpProvider} carries what a mapper builds over {@link UpstreamHttp}.
 */
public interface ProviderMapper {

    /** The provider as error messages name it. */
    String name(Deployment d);

    URI endpoint(Deployment d);

    Map<String, String> headers(Deployment d);

    /** The provider's request for the caller's validated OpenAI {@code body}, which stays unmodified. */
    ObjectNode request(ObjectNode body, Deployment d, boolean stream);

    /** A non-streamed answer, parsed and as its {@code bytes}, as an OpenAI {@code chat.completion}. */
    ChatCompletion completion(JsonNode answer, byte[] bytes, Deployment d);

    /** How a streamed answer's events are laid out in its body. */
    StreamFraming framing();

    /** The translation of one streamed answer, handing OpenAI chunks to {@code sink}. */
    StreamMapper stream(Deployment d, ChunkSink sink);
}
