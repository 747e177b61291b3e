package dev.codelab.client;

import java.util.List;

/**
 * The messages of a session, oldest first.
 *
 * @param sessionId    the session
 * @param messageCount how many messages the session holds in total
 * @param messages     the returned messages
 */
public record History(String sessionId, int messageCount, List<HistoryMessage> messages) {}
