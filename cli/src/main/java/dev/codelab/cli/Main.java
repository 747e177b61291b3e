package dev.codelab.cli;

import dev.codelab.bench.load.BenchCommand;
import dev.codelab.cli.chat.ChatCommand;
import dev.codelab.cli.chat.LoginCommand;
import dev.codelab.cli.chat.SessionsCommand;
import dev.codelab.cli.chat.UsageCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code codelab} command. The root script {@code ./codelab} finds a JDK, builds, and runs this.
 */
@Command(
        name = "codelab",
        mixinStandardHelpOptions = true,
        version = "codelab 0.1.0",
        description = "CodeLab backend: run the stack, chat with the agents, manage users and keys, check and "
                + "benchmark a deployment.",
        subcommands = {
            UpCommand.class,
            LoginCommand.class,
            ChatCommand.class,
            SessionsCommand.class,
            UsageCommand.class,
            UserCommand.class,
            KeysCommand.class,
            BenchCommand.class,
            CheckCommand.class,
            InfraCommand.class,
            ComposeEnvCommand.class
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
