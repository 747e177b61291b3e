package dev.codelab.shared.testing;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The records that one logger publishes from {@link #of} until {@link #close()}. */
public final class LogRecords extends Handler implements AutoCloseable {

    /** Held so that the logger, which the JDK only references weakly, keeps this handler. */
    private final Logger logger;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogRecords(Logger logger) {
        this.logger = logger;
    }

    /** Starts collecting what the logger named {@code name} publishes. */
    public static LogRecords of(String name) {
        LogRecords collected = new LogRecords(Logger.getLogger(name));
        collected.logger.addHandler(collected);
        return collected;
    }

    /** The records so far, in the order they were published (a live, read-only view). */
    public List<LogRecord> all() {
        return Collections.unmodifiableList(records);
    }

    /**
     * The records so far, once at least {@code count} have arrived or {@code timeout} has passed: a line logged
     * after an answer went out can reach the logger after the client has the answer.
     */
    public List<LogRecord> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return all();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {}

    /** Stops collecting. */
    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
