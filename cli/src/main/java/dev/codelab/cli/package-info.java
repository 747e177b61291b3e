/**
 * The {@code codelab} command (picocli): {@code up} runs the dev stack of module {@code devstack}, {@code user}
 * and {@code keys} manage the auth database, {@code infra} and {@code compose-env} serve the end-to-end check;
 * the terminal IDE, the deployment check and the load bench are subcommands from their own packages and modules.
 */
package dev.codelab.cli;
