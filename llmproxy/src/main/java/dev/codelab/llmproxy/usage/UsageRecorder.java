package dev.codelab.llmproxy.usage;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Writes metered calls off the request's path: {@link #record} only puts the call in a bounded queue, and one
 * virtual thread stores what is queued in batches (one transaction each), one batch per flush interval at most
 * (more only when a batch is full). When the database fails, the batch is
 * kept and tried again after a growing pause, while new calls wait in the queue; when the queue is full a call is
 * dropped and logged. Once an hour (and at start) the same thread deletes raw calls older than the retention.
 *
 * <p>What is queued but not yet stored counts as spent for the budget checks ({@link #pending}), so a batch in
 * flight does not let a user past a limit.
 */
final class UsageRecorder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UsageRecorder.class.getName());
    private static final int MAX_BATCH = 500;
    private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(30);
    private static final Duration RETENTION_EVERY = Duration.ofHours(1);

    private final UsageStore store;
    private final BlockingQueue<UsageRecord> queue;
    private final Map<String, Spend> pending = new ConcurrentHashMap<>();
    /** Held to write a batch and take it out of {@link #pending}, so a reader sees a call in one place only. */
    private final ReadWriteLock storing = new ReentrantReadWriteLock();

    private final Duration flushEvery;
    private final Duration retention;
    private final Clock clock;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;
    private long nextRetention;

    UsageRecorder(UsageStore store, int queueSize, Duration flushEvery, Duration retention, Clock clock) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.flushEvery = flushEvery;
        this.retention = retention;
        this.clock = clock;
        this.writer = Thread.ofVirtual().name("usage-writer").start(this::writeLoop);
    }

    /** Queues one call; never blocks and never throws. */
    void record(UsageRecord record) {
        if (!queue.offer(record)) {
            LOG.log(
                    Level.WARNING,
                    "Usage queue full: the call of " + record.tags().userId() + " to " + record.model() + " ($"
                            + record.costUsd() + ") is not metered (" + dropped.incrementAndGet() + " dropped so far)");
            return;
        }
        pending.merge(record.tags().userId(), Spend.of(record), Spend::plus);
    }

    /** What {@code userId} spent in calls not stored yet. */
    Spend pending(String userId) {
        return pending.getOrDefault(userId, Spend.NONE);
    }

    /**
     * Runs a read of the stored spending together with {@link #pending}, never while a batch is between the two
     * (written but still pending would count twice).
     */
    <T> T betweenBatches(Supplier<T> read) {
        storing.readLock().lock();
        try {
            return read.get();
        } finally {
            storing.readLock().unlock();
        }
    }

    private void writeLoop() {
        List<UsageRecord> batch = new ArrayList<>();
        Duration pause = flushEvery;
        while (!closed || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    UsageRecord first = queue.poll(flushEvery.toMillis(), TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                        awaitMoreCalls();
                        queue.drainTo(batch, MAX_BATCH - 1);
                    }
                }
                if (!batch.isEmpty()) {
                    if (store(batch)) {
                        batch.clear();
                        pause = flushEvery;
                    } else if (closed) {
                        LOG.log(Level.WARNING, "Stopping: " + batch.size() + " metered calls could not be stored");
                        return;
                    } else {
                        Thread.sleep(pause);
                        pause = min(pause.multipliedBy(2), MAX_RETRY_PAUSE);
                    }
                }
                applyRetention();
            } catch (InterruptedException e) {
                closed = true;
            }
        }
    }

    /**
     * Lets the calls of one flush interval gather behind the first, so that a busy proxy writes one transaction per
     * interval rather than one per handful of calls (at 1 000 calls/s that was several hundred transactions a second,
     * each with a statement of a new length for PostgreSQL to parse). Cut short by a full batch or by {@link #close}.
     */
    private void awaitMoreCalls() throws InterruptedException {
        if (queue.size() < MAX_BATCH - 1) {
            closing.await(flushEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private boolean store(List<UsageRecord> batch) {
        storing.writeLock().lock();
        try {
            store.write(batch);
            for (UsageRecord r : batch) {
                pending.computeIfPresent(r.tags().userId(), (user, spend) -> {
                    Spend left = spend.minus(Spend.of(r));
                    return left.tokens() <= 0 && left.costUsd() <= 1e-12 ? null : left;
                });
            }
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot store " + batch.size() + " metered calls, will retry: " + e.getMessage());
            return false;
        } finally {
            storing.writeLock().unlock();
        }
    }

    private void applyRetention() {
        long now = clock.millis();
        if (now < nextRetention) {
            return;
        }
        nextRetention = now + RETENTION_EVERY.toMillis();
        try {
            long deleted = store.deleteBefore(clock.instant().minus(retention));
            if (deleted > 0) {
                LOG.log(Level.INFO, "Deleted " + deleted + " metered calls older than " + retention.toDays() + " days");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot apply the usage retention: " + e.getMessage());
            nextRetention = now + flushEvery.toMillis() * 20;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stores what is queued (trying once more if the database fails) and stops the writer. */
    @Override
    public void close() {
        closed = true;
        closing.countDown();
        try {
            writer.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
