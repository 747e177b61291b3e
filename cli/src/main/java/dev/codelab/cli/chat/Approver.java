package dev.codelab.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.client.ServerFrame;

/** Decides a tool call that requires approval. */
interface Approver {

    Decision decide(ServerFrame.ToolCall call);

    /** The user's answer: approve, approve with edited arguments, or reject with feedback. */
    record Decision(Kind kind, JsonNode modifiedArguments, String feedback) {
        enum Kind {
            APPROVE,
            EDIT,
            REJECT
        }

        static Decision approve() {
            return new Decision(Kind.APPROVE, null, null);
        }

        static Decision edit(JsonNode arguments) {
            return new Decision(Kind.EDIT, arguments, null);
        }

        static Decision reject(String feedback) {
            return new Decision(Kind.REJECT, null, feedback);
        }
    }

    /** {@code --yes}: approves everything. */
    static Approver approveAll() {
        return call -> Decision.approve();
    }
}
