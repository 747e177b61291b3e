/**
 * The tools the terminal IDE runs for the agents, confined to its workspace directory: reading, writing and
 * editing files, searching, running commands; each answers a tool call with the result or a failure the model can
 * read.
 */
package dev.codelab.cli.chat.tools;
