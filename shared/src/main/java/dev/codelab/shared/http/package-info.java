/**
 * The HTTP kernel every service installs: request ids and the request log, the documented error bodies, the
 * internal-key filter, the client's real address behind trusted proxies, and the process's one JSON mapper.
 */
package dev.codelab.shared.http;
