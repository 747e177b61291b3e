package dev.codelab.agent;

import org.junit.jupiter.api.BeforeEach;

/** An agent runtime per test class whose every test starts with session {@code s1} of user {@code u1}. */
abstract class OneSessionTest extends AgentServiceTest {

    @BeforeEach
    void createTheSession() {
        agent.createSession("u1", "s1");
    }
}
