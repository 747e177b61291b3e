package dev.codelab.cli.chat;

import dev.codelab.client.ChatListener;
import dev.codelab.client.ServerFrame;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Hands what the socket delivers to the command's thread, in order. */
final class ChatEvents implements ChatListener {

    /** A frame, or the socket going away. */
    sealed interface Event {
        record Frame(ServerFrame frame) implements Event {}

        record Dropped(Disconnect disconnect) implements Event {}
    }

    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();

    @Override
    public void onFrame(ServerFrame frame) {
        queue.add(new Event.Frame(frame));
    }

    @Override
    public void onDisconnected(Disconnect disconnect) {
        queue.add(new Event.Dropped(disconnect));
    }

    /** The next event, or empty when {@code timeout} passes first. */
    Optional<Event> next(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }
}
