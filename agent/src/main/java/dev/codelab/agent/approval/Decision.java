package dev.codelab.agent.approval;

/**
 * What the policy says about one tool call.
 */
public record Decision(Verdict verdict, String reason) {

    public enum Verdict {
        ALLOW,
        ASK,
        DENY
    }

    public static Decision ask(String reason) {
        return new Decision(Verdict.ASK, reason);
    }
}
