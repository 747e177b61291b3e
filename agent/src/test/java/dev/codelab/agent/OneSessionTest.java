package dev.codelab.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh agent runtime for every test, with session {@code s1} of user {@code u1}. */
abstract class OneSessionTest {

    AgentHarness agent;

    @BeforeEach
    void startAgentWithSession() throws Exception {
        agent = new AgentHarness();
        agent.createSession("u1", "s1");
    }

    @AfterEach
    void stopAgent() {
        agent.close();
    }
}
