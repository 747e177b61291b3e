package dev.codelab.cli.chat.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Path;

/**
 * Runs the six IDE tools of the agent runtime on this machine, confined to one {@link Workspace}.
 * A result is the JSON object sent back as {@code tool_result.result}; a {@link ToolFailure} becomes
 * {@code tool_result.error}.
 */
public final class ToolExecutor {

    private final Workspace workspace;
    private final FileTools files;
    private final CommandTool commands;
    private final SearchTool search;

    public ToolExecutor(Path workspaceDir) {
        this.workspace = new Workspace(workspaceDir);
        this.files = new FileTools(workspace);
        this.commands = new CommandTool(workspace);
        this.search = new SearchTool(workspace);
    }

    public Path root() {
        return workspace.root();
    }

    public JsonNode execute(String tool, JsonNode arguments) throws ToolFailure {
        Arguments args = new Arguments(tool, arguments == null ? MissingNode.getInstance() : arguments);
        return switch (tool) {
            case "read_file" -> files.read(args);
            case "write_file" -> files.write(args);
            case "list_files" -> files.list(args);
            case "create_directory" -> files.createDirectory(args);
            case "execute_command" -> commands.execute(args);
            case "search_in_code" -> search.search(args);
            default ->
                throw new ToolFailure("Unknown tool '" + tool + "': this client runs read_file, write_file, "
                        + "list_files, create_directory, execute_command and search_in_code");
        };
    }
}
