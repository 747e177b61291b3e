/**
 * The one fake of an OpenAI-compatible model provider (and of the provider wire formats llmproxy speaks), for
 * tests and the load bench: {@link dev.codelab.shared.fakellm.FakeLlm} serves scripted
 * {@link dev.codelab.shared.fakellm.Reply}s on a loopback port and records every request; unscripted requests
 * go to a {@link dev.codelab.shared.fakellm.Responder} (paced, misbehaving or scripted answers);
 * {@link dev.codelab.shared.fakellm.OpenAiWire} writes the chat-completions wire format. It lives in main code
 * because the bench's paced upstream, shipped in the {@code codelab} command, is one of its uses.
 */
package dev.codelab.shared.fakellm;
