package dev.codelab.cli.chat.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code execute_command {command, cwd?, timeout?}}: runs {@code bash -c command} in the workspace (or a directory
 * inside it) with stdin from {@code /dev/null}, and kills the whole process tree when the timeout (seconds,
 * default 60, at most 600) passes. Result: {@code {stdout, stderr, exit_code, timed_out}}, each stream cut
 * at 100 000 characters; {@code exit_code} is absent when the command timed out.
 */
final class CommandTool {

    static final int DEFAULT_TIMEOUT_SECONDS = 60;
    static final int MAX_TIMEOUT_SECONDS = 600;
    static final int MAX_OUTPUT_CHARS = 100_000;

    private final Workspace workspace;

    CommandTool(Workspace workspace) {
        this.workspace = workspace;
    }

    ObjectNode execute(Arguments args) throws ToolFailure {
        String command = args.requiredText("command");
        Path cwd = workspace.resolve(args.text("cwd", "."));
        if (!Files.isDirectory(cwd)) {
            throw new ToolFailure("cwd is not a directory: " + args.text("cwd", "."));
        }
        int timeout = timeoutSeconds(args.number("timeout"));
        Process process = start(command, cwd);
        Output stdout = Output.drain(process.getInputStream());
        Output stderr = Output.drain(process.getErrorStream());
        boolean finished = finishedInTime(process, timeout);
        ObjectNode result =
                Json.MAPPER.createObjectNode().put("stdout", stdout.text()).put("stderr", stderr.text());
        if (finished) {
            result.put("exit_code", process.exitValue());
        }
        return result.put("timed_out", !finished);
    }

    private static int timeoutSeconds(Integer requested) throws ToolFailure {
        int timeout = requested == null ? DEFAULT_TIMEOUT_SECONDS : requested;
        if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
            throw new ToolFailure("timeout must be between 1 and " + MAX_TIMEOUT_SECONDS + " seconds");
        }
        return timeout;
    }

    private static Process start(String command, Path cwd) throws ToolFailure {
        try {
            return new ProcessBuilder("bash", "-c", command)
                    .directory(cwd.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new ToolFailure("Cannot start bash: " + e.getMessage());
        }
    }

    /** Waits up to {@code timeout} seconds; a command still running then is killed with all it started. */
    private static boolean finishedInTime(Process process, int timeout) {
        boolean finished;
        try {
            finished = process.waitFor(timeout, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        return finished;
    }

    /**
     * Reads a stream to its end on a virtual thread, so a chatty command never blocks on a full pipe; keeps at
     * most {@link #MAX_OUTPUT_CHARS} bytes and drops the rest.
     */
    private static final class Output {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread reader;
        private volatile boolean truncated;

        private Output(InputStream in) {
            reader = Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[8192];
                try (in) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        int room = MAX_OUTPUT_CHARS - kept.size();
                        kept.write(buffer, 0, Math.max(0, Math.min(n, room)));
                        truncated |= n > room;
                    }
                } catch (IOException e) {
                    // the process was killed; keep what arrived
                }
            });
        }

        static Output drain(InputStream in) {
            return new Output(in);
        }

        /** What was read; waits briefly for the end, since a killed process's grandchildren may hold the pipe. */
        String text() {
            try {
                reader.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return kept.toString(StandardCharsets.UTF_8) + (truncated ? "\n[output truncated]" : "");
        }
    }
}
