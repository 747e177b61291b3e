package dev.codelab.agent.edit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of an {@code edit_file} call (already checked against its schema in tools.json): the file, its
 * edits in order, and whether each {@code old_text} replaces every occurrence rather than exactly one.
 */
public record EditRequest(String path, List<Edit> edits, boolean replaceAll) {

    /** One replacement: {@code oldText} (non-empty) becomes {@code newText}. */
    public record Edit(String oldText, String newText) {}

    public static EditRequest of(JsonNode arguments) {
        List<Edit> edits = new ArrayList<>();
        arguments
                .path("edits")
                .forEach(edit -> edits.add(new Edit(
                        edit.path("old_text").asText(), edit.path("new_text").asText())));
        return new EditRequest(
                arguments.path("path").asText(),
                List.copyOf(edits),
                arguments.path("replace_all").asBoolean(false));
    }
}
