/**
 * The model registry: the aliases callers may name, their deployments (provider, model, base URL, key from the
 * environment), fallbacks, context windows and prices, read from YAML.
 */
package dev.codelab.llmproxy.registry;
