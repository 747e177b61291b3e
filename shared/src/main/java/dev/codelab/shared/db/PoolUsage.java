package dev.codelab.shared.db;

import java.time.Duration;

/**
 * How DbClient used the connection pool since it started or since {@link Database#resetPoolUsage()} (Flyway and
 * the readiness probe borrow outside these counts).
 *
 * @param size          the most connections the pool may hold
 * @param inUse         connections lent out right now
 * @param peakInUse     the most connections lent out at the same time
 * @param borrows       connections handed out
 * @param meanWait      mean time a borrower waited for its connection
 * @param maxWait       longest such wait
 * @param timeouts      borrowers that got no connection: none within 30 s of queueing, or the database
 *                      could not be reached
 */
public record PoolUsage(
        int size, int inUse, int peakInUse, long borrows, Duration meanWait, Duration maxWait, long timeouts) {}
