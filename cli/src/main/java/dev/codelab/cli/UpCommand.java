package dev.codelab.cli;

import dev.codelab.devstack.DevStack;
import io.helidon.logging.common.LogConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code codelab up}: the whole stack in this JVM on embedded PostgreSQL and Redis.
 */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "Run the whole stack on this machine (embedded PostgreSQL and Redis, data in ./.codelab).")
final class UpCommand implements Runnable {

    @Option(
            names = "--port",
            description = "Public port serving /oauth, /.well-known and /api/v1 (default ${DEFAULT-VALUE}).")
    int port = 8080;

    @Option(
            names = "--host",
            description = "Address of the public port (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for "
                    + "every interface).")
    String host = "127.0.0.1";

    @Option(
            names = "--services-host",
            description = "Address of the four services' own ports (default ${DEFAULT-VALUE}). "
                    + "They serve internal APIs, /ready and /observe: open them only on a trusted network.")
    String servicesHost = "127.0.0.1";

    @Option(names = "--fresh", description = "Wipe the data directory first.")
    boolean fresh;

    @Override
    public void run() {
        LogConfig.configureRuntime();
        Path dataDir = Path.of(System.getenv().getOrDefault("CODELAB_DATA_DIR", ".codelab"));
        DevStack stack = DevStack.start(
                dataDir, DevStack.Ports.standard(port), new DevStack.Hosts(host, servicesHost), fresh, System.getenv());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stack.close();
                            stopped.countDown();
                        },
                        "codelab-up-shutdown"));
        stack.printWelcome(System.out);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
