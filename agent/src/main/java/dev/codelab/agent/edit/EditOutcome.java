package dev.codelab.agent.edit;

/** What became of an edit: the file's new text, or a message that tells the model why nothing was changed. */
public sealed interface EditOutcome {

    record Applied(String before, String after) implements EditOutcome {}

    record Failed(String message) implements EditOutcome {}
}
