package dev.codelab.cli;

import dev.codelab.shared.embedded.EmbeddedPostgresServer;
import dev.codelab.shared.embedded.EmbeddedRedisServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code codelab infra}: only the embedded PostgreSQL and Redis, for services started as separate processes
 * (the end-to-end check, or a developer running one service from the IDE).
 */
@Command(
        name = "infra",
        mixinStandardHelpOptions = true,
        description =
                "Run embedded PostgreSQL (databases auth_db, agent_db) and Redis; print their URLs; wait for Ctrl-C.")
final class InfraCommand implements Runnable {

    @Option(names = "--data-dir", description = "Keep data here (default: throw-away).")
    Path dataDir;

    @Option(names = "--redis-port", description = "Redis port (default: a free one).")
    int redisPort;

    @Override
    public void run() {
        EmbeddedPostgresServer postgres =
                EmbeddedPostgresServer.start(dataDir == null ? null : dataDir.resolve("postgres"));
        EmbeddedRedisServer redis =
                EmbeddedRedisServer.start(redisPort, dataDir == null ? null : dataDir.resolve("redis"));
        postgres.createDatabase("auth_db");
        postgres.createDatabase("agent_db");
        postgres.createDatabase("llmproxy_db");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            redis.close();
                            postgres.close();
                            stopped.countDown();
                        },
                        "codelab-infra-shutdown"));
        System.out.println("AUTH_DB_URL=" + postgres.jdbcUrl("auth_db"));
        System.out.println("AGENT_DB_URL=" + postgres.jdbcUrl("agent_db"));
        System.out.println("LLMPROXY_DB_URL=" + postgres.jdbcUrl("llmproxy_db"));
        System.out.println("REDIS_URL=" + redis.url());
        System.out.println("READY");
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
