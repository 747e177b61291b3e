package dev.codelab.gateway.agent;

import java.util.regex.Pattern;

/**
 * The session ids the gateway accepts (protocol.md): {@code [A-Za-z0-9._-]{1,128}}, so an id is always a safe
 * path segment towards the agent and a safe Redis key part.
 */
public final class SessionIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private SessionIds() {}

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }
}
