/**
 * The compose deployment read without a Docker engine: {@code docker-compose.yml} with its variables
 * interpolated as compose does, for {@code codelab compose-env}, the end-to-end check and the deployment tests.
 */
package dev.codelab.cli.deploy;
