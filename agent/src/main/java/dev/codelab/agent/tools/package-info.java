/**
 * The tools the model may call: their OpenAI function definitions ({@code tools.json}), a call as the model made it,
 * and the checks of a call (allowed for its agent, arguments matching the schema, paths inside the workspace).
 */
package dev.codelab.agent.tools;
