package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.registry.Deployment;

/**
 * One attempt to serve a chat completion request from one deployment.
 *
 * @param body       the caller's validated OpenAI request (never modified; providers copy what they send)
 * @param deployment where to send it
 * @param guard      watches the provider stream (streaming calls only)
 * @param requestId  the caller's request id, named in the failures of the provider call
 */
public record ProviderRequest(ObjectNode body, Deployment deployment, UpstreamGuard guard, String requestId) {}
