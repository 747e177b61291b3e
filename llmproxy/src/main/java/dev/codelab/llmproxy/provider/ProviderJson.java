package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import java.io.IOException;

/** Parsing what a provider sent; anything that is not its protocol's JSON means the provider is broken. */
final class ProviderJson {

    private ProviderJson() {}

    /** A non-streamed answer. */
    static JsonNode answer(String provider, byte[] answer) {
        try {
            return Json.MAPPER.readTree(answer);
        } catch (IOException e) {
            throw ProviderException.broken(provider, "answer is not JSON");
        }
    }

    /** The data of one streamed event, which must be a JSON object. */
    static ObjectNode event(String provider, String data) {
        try {
            JsonNode node = Json.read(data);
            if (node.isObject()) {
                return (ObjectNode) node;
            }
        } catch (IOException e) {
            // reported below
        }
        throw ProviderException.broken(provider, "stream sent an event that is not a JSON object");
    }
}
