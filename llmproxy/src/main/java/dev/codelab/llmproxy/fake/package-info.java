/**
 * The {@code fake} provider: a deterministic, offline stand-in model driven by a rule file, for the dev stack, demos
 * and tests. Not a language model.
 */
package dev.codelab.llmproxy.fake;
