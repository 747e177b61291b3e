package dev.codelab.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tool definitions of {@code tools.json} (OpenAI function format) and their compiled argument schemas.
 */
public final class ToolCatalog {

    private final Map<String, JsonNode> definitions = new LinkedHashMap<>();
    private final Map<String, Schema> schemas = new LinkedHashMap<>();

    private ToolCatalog(JsonNode tools) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
        for (JsonNode tool : tools) {
            String name = tool.path("function").path("name").asText();
            definitions.put(name, tool);
            schemas.put(name, registry.getSchema(tool.path("function").path("parameters")));
        }
    }

    public static ToolCatalog load() {
        try (InputStream in = ToolCatalog.class.getResourceAsStream("/tools.json")) {
            return new ToolCatalog(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code tools} array of a chat-completions request for this agent, in the agent's order. */
    public ArrayNode definitionsFor(AgentType agent) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        agent.tools().forEach(name -> array.add(definitions.get(name)));
        return array;
    }

    public Optional<JsonNode> definition(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    public String description(String name) {
        return definitions.get(name).path("function").path("description").asText();
    }

    /** Schema violations of {@code arguments} for the tool, as readable messages; empty when valid. */
    public List<String> schemaErrors(String tool, JsonNode arguments) {
        return schemas.get(tool).validate(arguments).stream()
                .map(Object::toString)
                .toList();
    }
}
