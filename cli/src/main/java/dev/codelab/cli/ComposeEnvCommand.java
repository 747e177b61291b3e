package dev.codelab.cli;

import dev.codelab.cli.deploy.ComposeFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code codelab compose-env SERVICE}: prints a service's environment from the compose file, interpolated
 * with this process's environment, one {@code NAME=value} per line — so a service can be started outside
 * Docker with exactly what compose would give it (the end-to-end check does this).
 */
@Command(
        name = "compose-env",
        mixinStandardHelpOptions = true,
        description = "Print a compose service's environment (NAME=value lines), interpolated like docker compose.")
final class ComposeEnvCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The compose service (auth, gateway, agent, llmproxy, nginx).")
    String service;

    @Option(names = "--file", description = "The compose file (default ${DEFAULT-VALUE}).")
    Path file = Path.of("compose/docker-compose.yml");

    @Override
    public Integer call() throws Exception {
        Map<String, String> environment = ComposeFile.read(file).environment(service, System.getenv());
        environment.forEach((k, v) -> System.out.println(k + "=" + v));
        return 0;
    }
}
