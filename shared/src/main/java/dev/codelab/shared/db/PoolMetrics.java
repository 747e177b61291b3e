package dev.codelab.shared.db;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;

/**
 * Counts what Hikari reports of each borrow (how long it waited) and return, exactly rather than by sampling:
 * the connections in use right now and their peak, and the wait for a connection.
 */
final class PoolMetrics implements MetricsTrackerFactory {

    private final int size;
    private final AtomicInteger inUse = new AtomicInteger();
    private final LongAccumulator peak = new LongAccumulator(Math::max, 0);
    private final LongAdder borrows = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();
    private final LongAccumulator maxWaitNanos = new LongAccumulator(Math::max, 0);
    private final AtomicLong timeouts = new AtomicLong();

    PoolMetrics(int size) {
        this.size = size;
    }

    @Override
    public IMetricsTracker create(String poolName, PoolStats poolStats) {
        return new IMetricsTracker() {
            @Override
            public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
                peak.accumulate(inUse.incrementAndGet());
                borrows.increment();
                waitNanos.add(elapsedAcquiredNanos);
                maxWaitNanos.accumulate(elapsedAcquiredNanos);
            }

            @Override
            public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
                inUse.decrementAndGet();
            }

            @Override
            public void recordConnectionTimeout() {
                timeouts.incrementAndGet();
            }
        };
    }

    PoolUsage usage() {
        long count = borrows.sum();
        return new PoolUsage(size, inUse.get(), (int) peak.get(), count,
                Duration.ofNanos(count == 0 ? 0 : waitNanos.sum() / count), Duration.ofNanos(maxWaitNanos.get()),
                timeouts.get());
    }

    /** Starts a new measurement; the peak starts from what is in use now. */
    void reset() {
        peak.reset();
        peak.accumulate(inUse.get());
        borrows.reset();
        waitNanos.reset();
        maxWaitNanos.reset();
        timeouts.set(0);
    }
}
