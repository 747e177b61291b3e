package dev.codelab.agent.context;

import dev.codelab.agent.store.MessageStore.Message;
import dev.codelab.agent.store.Summaries.Summary;
import java.util.List;
import java.util.Optional;

/**
 * A session's history as its prompt sees it: the first user message (always sent as it is: the task and its
 * standing instructions), the newest summary of what followed it, and the messages after that summary.
 */
public record Conversation(Optional<Message> firstUser, Optional<Summary> summary, List<Message> rest) {

    public static Conversation of(List<Message> history, Optional<Summary> summary) {
        Optional<Message> firstUser =
                history.stream().filter(m -> m.role().equals("user")).findFirst();
        long summarisedUpTo = summary.map(Summary::lastSeq).orElse(Long.MIN_VALUE);
        List<Message> rest = history.stream()
                .filter(m -> firstUser.map(first -> first.seq() != m.seq()).orElse(true) && m.seq() > summarisedUpTo)
                .toList();
        return new Conversation(firstUser, summary, rest);
    }
}
