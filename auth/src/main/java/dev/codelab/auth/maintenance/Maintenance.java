package dev.codelab.auth.maintenance;

import dev.codelab.auth.audit.AuditLog;
import dev.codelab.auth.keys.KeyRing;
import dev.codelab.auth.refresh.RefreshTokenStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The background chores of one replica: reload the key ring (promoting and retiring keys, rotating when the
 * newest key is older than the rotation period), and purge expired refresh tokens and old audit rows.
 * Every chore is safe to run on all replicas at once.
 */
public final class Maintenance implements AutoCloseable {

    /** Expired refresh tokens are kept this long, so a late replay is still recognised as such. */
    static final Duration EXPIRED_TOKEN_GRACE = Duration.ofDays(7);

    private static final System.Logger LOG = System.getLogger(Maintenance.class.getName());

    private final KeyRing keys;
    private final RefreshTokenStore refreshTokens;
    private final AuditLog audit;
    private final Clock clock;
    private final Schedule schedule;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("auth-maintenance").factory());

    /**
     * @param keyRefresh         how often the ring is reloaded
     * @param rotationDays       rotate keys older than this; 0 turns scheduled rotation off
     * @param publishLead        how long a new key is published before it signs
     * @param purgeInterval      how often expired rows are purged
     * @param auditRetentionDays audit rows older than this are deleted
     */
    public record Schedule(
            Duration keyRefresh,
            int rotationDays,
            Duration publishLead,
            Duration purgeInterval,
            int auditRetentionDays) {}

    public Maintenance(KeyRing keys, RefreshTokenStore refreshTokens, AuditLog audit, Clock clock, Schedule schedule) {
        this.keys = keys;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
        this.clock = clock;
        this.schedule = schedule;
    }

    public void start() {
        long refreshSeconds = Math.max(1, schedule.keyRefresh().toSeconds());
        scheduler.scheduleWithFixedDelay(
                () -> quietly("key refresh", this::refreshKeys), refreshSeconds, refreshSeconds, TimeUnit.SECONDS);
        long purgeSeconds = Math.max(1, schedule.purgeInterval().toSeconds());
        scheduler.scheduleWithFixedDelay(
                () -> quietly("purge", this::purge), purgeSeconds, purgeSeconds, TimeUnit.SECONDS);
    }

    /** Reloads the ring, rotating first when the newest key is past the rotation period. */
    public void refreshKeys() {
        if (schedule.rotationDays() > 0) {
            keys.rotateIfDue(Duration.ofDays(schedule.rotationDays()), schedule.publishLead())
                    .ifPresent(k -> LOG.log(
                            Level.INFO,
                            "Scheduled key rotation: new key " + k.kid() + " signs from " + k.activatedAt()));
        } else {
            keys.refresh();
        }
    }

    /** Deletes refresh tokens expired over a week ago and audit rows past retention. */
    public void purge() {
        Instant now = clock.instant();
        int tokens = refreshTokens.purgeExpiredBefore(now.minus(EXPIRED_TOKEN_GRACE));
        int rows = audit.purgeBefore(now.minus(Duration.ofDays(schedule.auditRetentionDays())));
        if (tokens + rows > 0) {
            LOG.log(Level.INFO, "Purged " + tokens + " expired refresh tokens and " + rows + " old audit rows");
        }
    }

    private static void quietly(String chore, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Maintenance " + chore + " failed, will retry: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
