/**
 * The {@code edit_file} tool: the model's edits applied to the text the IDE read (with the closest lines named when
 * a match fails), the unified diff shown for a write, and what a turn knows of a file's content.
 */
package dev.codelab.agent.edit;
