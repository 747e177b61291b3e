package dev.codelab.agent.llm;

import dev.codelab.shared.hop.HopException;
import dev.codelab.shared.hop.HopResponse;
import dev.codelab.shared.http.Json;
import java.io.IOException;

/**
 * The LLM proxy refused the call because the user's budget is used up ({@code 429 insufficient_quota}); the
 * message says which limit and when it resets. Never retried.
 */
public final class BudgetExceeded extends RuntimeException {

    public BudgetExceeded(String message) {
        super(message);
    }

    /** Throws when {@code response} is the proxy's budget refusal; any other answer is left to the caller. */
    static void throwIfRefused(HopResponse response) throws HopException {
        if (response.status() != 429) {
            return;
        }
        try {
            var error = Json.read(response.text()).path("error");
            if (error.path("code").asText().equals("insufficient_quota")) {
                throw new BudgetExceeded(error.path("message").asText("The usage budget is used up"));
            }
        } catch (IOException e) {
            // not the proxy's JSON: an ordinary 429
        }
    }
}
