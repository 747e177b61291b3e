package dev.codelab.client;

import java.util.List;

/**
 * One page of the caller's sessions, newest activity first.
 *
 * @param sessions the sessions of this page
 * @param total    how many sessions the caller has
 * @param limit    the page size used
 * @param offset   the offset used
 */
public record SessionPage(List<Session> sessions, int total, int limit, int offset) {}
