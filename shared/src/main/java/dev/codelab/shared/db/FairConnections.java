package dev.codelab.shared.db;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Lends the pool's connections to DbClient first come, first served, and counts how they are used.
 *
 * <p>Hikari is not fair under contention: a thread asking for a connection takes one that was just returned ahead
 * of the threads already waiting for it. With hundreds of virtual threads each running short statements, a waiter
 * starved past the pool's timeout while the mean wait stayed short (the bench's {@code concurrent-turns}: 90 of 18
 * 000 borrows timed out after 5 s at a mean wait of 170 ms). A fair semaphore with one permit per connection
 * queues borrowers in arrival order; the permit comes back when the statement or transaction closes its
 * connection.
 *
 * <p>Two waits: queueing behind busy connections is patience ({@code queueTimeout}, long: a burst of turns
 * starting at once is worked through rather than refused), while a pool that cannot reach the database answers
 * within its own timeout, and as long as the last attempt failed that way the queue waits no longer than that
 * either, so an outage is a prompt 503.
 */
final class FairConnections {

    private final DataSource pool;
    private final int size;
    private final Duration queueTimeout;
    private final Duration poolTimeout;
    private final Semaphore permits;
    private volatile boolean unreachable;
    private final AtomicInteger inUse = new AtomicInteger();
    private final LongAccumulator peak = new LongAccumulator(Math::max, 0);
    private final LongAdder borrows = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();
    private final LongAccumulator maxWaitNanos = new LongAccumulator(Math::max, 0);
    private final LongAdder timeouts = new LongAdder();

    FairConnections(DataSource pool, int size, Duration queueTimeout, Duration poolTimeout) {
        this.pool = pool;
        this.size = size;
        this.queueTimeout = queueTimeout;
        this.poolTimeout = poolTimeout;
        this.permits = new Semaphore(size, true);
    }

    /**
     * A connection whose {@code close()} hands it back; {@link DatabaseUnavailableException} when none comes in time.
     */
    Connection borrow() {
        long start = System.nanoTime();
        Duration patience = unreachable ? poolTimeout : queueTimeout;
        try {
            if (!permits.tryAcquire(patience.toNanos(), TimeUnit.NANOSECONDS)) {
                timeouts.increment();
                throw DatabaseUnavailableException.noConnection(new SQLTransientConnectionException(
                        "No database connection within " + patience.toMillis() + " ms (" + size + " in use)"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DatabaseUnavailableException.noConnection(e);
        }
        Connection connection;
        try {
            connection = pool.getConnection();
        } catch (SQLException | RuntimeException e) {
            unreachable = true;
            permits.release();
            timeouts.increment();
            throw DatabaseUnavailableException.noConnection(e);
        }
        unreachable = false;
        long waited = System.nanoTime() - start;
        borrows.increment();
        waitNanos.add(waited);
        maxWaitNanos.accumulate(waited);
        peak.accumulate(inUse.incrementAndGet());
        return returnedOnClose(connection);
    }

    private Connection returnedOnClose(Connection connection) {
        AtomicBoolean lent = new AtomicBoolean(true);
        return (Connection) Proxy.newProxyInstance(
                FairConnections.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        if (lent.compareAndSet(true, false)) {
                            try {
                                connection.close();
                            } finally {
                                inUse.decrementAndGet();
                                permits.release();
                            }
                        }
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    PoolUsage usage() {
        long count = borrows.sum();
        return new PoolUsage(
                size,
                inUse.get(),
                (int) peak.get(),
                count,
                Duration.ofNanos(count == 0 ? 0 : waitNanos.sum() / count),
                Duration.ofNanos(maxWaitNanos.get()),
                timeouts.sum());
    }

    /** Starts a new measurement; the peak starts from what is in use now. */
    void reset() {
        peak.reset();
        peak.accumulate(inUse.get());
        borrows.reset();
        waitNanos.reset();
        maxWaitNanos.reset();
        timeouts.reset();
    }
}
