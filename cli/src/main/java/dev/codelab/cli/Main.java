package dev.codelab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code codelab} command. The root script {@code ./codelab} finds a JDK, builds, and runs this.
 */
@Command(name = "codelab",
         mixinStandardHelpOptions = true,
         version = "codelab 0.1.0",
         description = "CodeLab backend: run the dev stack and manage it.",
         subcommands = {UpCommand.class, UserCommand.class, KeysCommand.class, CheckCommand.class,
                        InfraCommand.class, ComposeEnvCommand.class, dev.codelab.cli.chat.LoginCommand.class,
                        dev.codelab.cli.chat.ChatCommand.class, dev.codelab.cli.chat.SessionsCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
