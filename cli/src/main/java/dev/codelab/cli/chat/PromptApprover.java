package dev.codelab.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.client.ServerFrame;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Asks {@code [y]es / [n]o / [e]dit}. Edit opens {@code $VISUAL}/{@code $EDITOR} on a temporary JSON file of the
 * arguments, or reads one line of JSON when no editor is set. End of input rejects.
 */
final class PromptApprover implements Approver {

    private final Terminal terminal;
    private final Map<String, String> env;

    PromptApprover(Terminal terminal, Map<String, String> env) {
        this.terminal = terminal;
        this.env = env;
    }

    @Override
    public Decision decide(ServerFrame.ToolCall call) {
        while (true) {
            Optional<String> answer = terminal.readLine("Allow " + call.toolName() + "? [y]es / [n]o / [e]dit: ");
            if (answer.isEmpty()) {
                return Decision.reject("No answer from the user (input closed)");
            }
            switch (answer.get().trim().toLowerCase()) {
                case "y", "yes" -> {
                    return Decision.approve();
                }
                case "n", "no" -> {
                    String feedback = terminal.readLine("Why (optional, sent to the agent): ")
                            .orElse("")
                            .trim();
                    return Decision.reject(feedback.isEmpty() ? "Rejected by the user" : feedback);
                }
                case "e", "edit" -> {
                    Optional<JsonNode> edited = edit(call.arguments());
                    if (edited.isPresent()) {
                        return Decision.edit(edited.get());
                    }
                }
                default -> terminal.err().println("Please answer y, n or e.");
            }
        }
    }

    private Optional<JsonNode> edit(JsonNode arguments) {
        String editor =
                Optional.ofNullable(env.get("VISUAL")).filter(e -> !e.isBlank()).orElse(env.get("EDITOR"));
        String text;
        if (editor == null || editor.isBlank()) {
            terminal.err().println("Current arguments: " + arguments);
            text = terminal.readLine("New arguments as one line of JSON: ").orElse("");
        } else {
            text = editInEditor(editor, arguments).orElse("");
        }
        try {
            JsonNode parsed = Json.read(text);
            if (parsed.isObject()) {
                return Optional.of(parsed);
            }
        } catch (IOException e) {
            // reported below
        }
        terminal.err().println("That is not a JSON object; the call was not changed.");
        return Optional.empty();
    }

    private Optional<String> editInEditor(String editor, JsonNode arguments) {
        Path file = null;
        try {
            file = Files.createTempFile("codelab-arguments", ".json");
            Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(arguments));
            terminal.pause(true);
            Process process = new ProcessBuilder("sh", "-c", editor + " \"$0\"", file.toString())
                    .inheritIO()
                    .start();
            if (process.waitFor() != 0) {
                terminal.err().println("The editor exited with " + process.exitValue() + "; the call was not changed.");
                return Optional.empty();
            }
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            terminal.err().println("Cannot run the editor: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            terminal.pause(false);
            if (file != null) {
                file.toFile().delete();
            }
        }
    }
}
