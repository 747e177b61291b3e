package dev.codelab.agent.agents;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentRouterTest {

    @ParameterizedTest
    @CsvSource({
        "Create a login form,coder",
        "Please REFACTOR this,coder",
        "Design the storage layer,architect",
        "Write a spec,coder",
        "Investigate the crash,debug",
        "Why is this slow?,debug",
        "What is a monad?,ask",
        "How does routing work?,ask",
        "hello there,coder"
    })
    void keywordsPickTheFirstMatchingAgentInTheSpecOrder(String text, String agent) {
        assertThat(text, AgentRouter.byKeywords(text).agent().id(), is(agent));
        assertThat(AgentRouter.byKeywords(text).confidence().wire(), is("low"));
    }

    @Test
    void llmAnswersAreAcceptedOnlyForSpecialists() {
        AgentRouter.Route route = AgentRouter.parse("""
                                {"agent":"Architect","confidence":"HIGH","reasoning":"design"}\
                                """).orElseThrow();
        assertThat(route.agent(), is(AgentType.ARCHITECT));
        assertThat(route.confidence().wire(), is("high"));
        assertThat(route.reason(), is("design"));

        assertThat(AgentRouter.parse("""
                        {"agent":"debug","confidence":"sure"}\
                        """).orElseThrow().confidence().wire(), is("medium"));
        assertThat(AgentRouter.parse("""
                {"agent":"debug"}\
                """).orElseThrow().reason(), is("Task classified as debug"));
        assertThat(AgentRouter.parse("""
                {"agent":"orchestrator"}\
                """), is(Optional.empty()));
        assertThat(AgentRouter.parse("""
                {"agent":"universal"}\
                """), is(Optional.empty()));
        assertThat(AgentRouter.parse("coder"), is(Optional.empty()));
    }
}
