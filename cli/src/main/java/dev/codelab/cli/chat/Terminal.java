package dev.codelab.cli.chat;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * The user's side: lines typed (read by one background thread, so that {@code /cancel} is seen while a turn
 * runs) and the two output streams ({@code out} for answers, {@code err} for progress and prompts).
 * On a terminal the reader only polls until a whole line is ready, and can be paused, so that an editor started
 * for an approval gets the keyboard to itself.
 */
final class Terminal {

    private static final Optional<String> END_OF_INPUT = Optional.empty();

    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
    private volatile Predicate<String> interceptor = line -> false;
    private volatile boolean paused;
    private Thread reader;

    Terminal(InputStream in, PrintWriter out, PrintWriter err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    /** Whether the user types at a terminal (our input is the process's, and it has a console). */
    boolean isTerminal() {
        return in == System.in && System.console() != null;
    }

    /**
     * Lines {@code interceptor} accepts are consumed by it instead of being queued (e.g. {@code /cancel} during a
     * turn).
     */
    void intercept(Predicate<String> interceptor) {
        this.interceptor = interceptor;
    }

    /** While paused, the reader does not touch the terminal (an editor is running). */
    void pause(boolean pause) {
        this.paused = pause;
    }

    /** Prints {@code prompt} to err and waits for a line; empty at end of input. */
    Optional<String> readLine(String prompt) {
        err.print(prompt);
        err.flush();
        startReader();
        try {
            Optional<String> line = lines.take();
            if (line.isEmpty()) {
                lines.add(END_OF_INPUT); // stay at the end for every later read
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return END_OF_INPUT;
        }
    }

    /** A line asked before the conversation starts: straight from the console when one is attached to our input. */
    Optional<String> prompt(String prompt) {
        Console console = console();
        if (console != null) {
            return Optional.ofNullable(console.readLine("%s", prompt));
        }
        return readLine(prompt);
    }

    /** A secret, without echo when a console is attached to our input; else a plain line. */
    Optional<String> readSecret(String prompt) {
        Console console = console();
        if (console != null) {
            char[] secret = console.readPassword("%s", prompt);
            return secret == null ? END_OF_INPUT : Optional.of(new String(secret));
        }
        return readLine(prompt);
    }

    /** The console, while the background reader has not taken over our input. */
    private synchronized Console console() {
        return in == System.in && reader == null ? System.console() : null;
    }

    private synchronized void startReader() {
        if (reader != null) {
            return;
        }
        boolean tty = isTerminal();
        reader = Thread.ofVirtual().name("terminal-input").start(() -> {
            try (BufferedReader input = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while (awaitLine(input, tty) && (line = input.readLine()) != null) {
                    if (!interceptor.test(line)) {
                        lines.add(Optional.of(line));
                    }
                }
            } catch (IOException e) {
                err.println("Cannot read input: " + e.getMessage());
            }
            lines.add(END_OF_INPUT);
        });
    }

    /** On a terminal, waits without blocking in read() until a line was entered and we are not paused. */
    private boolean awaitLine(BufferedReader input, boolean tty) throws IOException {
        while (tty && (paused || !input.ready())) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return true;
    }
}
