package dev.codelab.client;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codelab.client.testing.FakeCodeLab;
import dev.codelab.client.testing.FakeCodeLab.ApiRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CodeLabClientTest {

    private final FakeCodeLab fake = FakeCodeLab.start();
    private final TokenStore store = TokenStore.inMemory();
    private final CodeLabClient client =
            CodeLabClient.builder(fake.url()).tokenStore(store).build();

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void loginSendsThePasswordGrantOfThePublicClientAndStoresTheTokens() {
        Tokens tokens = client.login(FakeCodeLab.USERNAME, FakeCodeLab.PASSWORD);

        assertThat(
                fake.tokenRequests(),
                contains(Map.of(
                        "grant_type",
                        "password",
                        "username",
                        "demo",
                        "password",
                        "s3cret-pass",
                        "client_id",
                        "codelab-flutter-app")));
        assertThat(tokens.accessToken(), is("access-1"));
        assertThat(store.load().orElseThrow(), is(tokens));
        assertThat(tokens.refreshToken(), is("refresh-1"));
        assertThat(tokens.scope(), is("api:read api:write"));
    }

    @Test
    void wrongPasswordIsTheOauthError() {
        CodeLabException e = assertThrows(CodeLabException.class, () -> client.login("demo", "nope"));

        assertThat(e.status(), is(401));
        assertThat(e.error(), is("invalid_grant"));
        assertThat(e.getMessage(), is("Invalid username or password"));
        assertThat(store.load().isPresent(), is(false));
    }

    @Test
    void anAccessTokenTheServerNoLongerAcceptsIsRefreshedAndTheRequestRetried() {
        client.login(FakeCodeLab.USERNAME, FakeCodeLab.PASSWORD);
        fake.expireAccessTokens();

        List<Agent> agents = client.agents();

        assertThat(agents, hasSize(5));
        assertThat(
                fake.tokenRequests().get(1),
                is(Map.of(
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        "refresh-1",
                        "client_id",
                        "codelab-flutter-app")));
        assertThat(fake.apiRequests(), hasSize(1));
        assertThat(store.load().orElseThrow().accessToken(), is("access-2"));
        assertThat(store.load().orElseThrow().refreshToken(), is("refresh-2"));
    }

    @Test
    void aTokenAboutToExpireIsRefreshedBeforeTheRequestLeaves() {
        fake.expiresIn(30);
        client.login(FakeCodeLab.USERNAME, FakeCodeLab.PASSWORD);

        client.agents();

        assertThat(fake.tokenRequests(), hasSize(2));
        assertThat(fake.tokenRequests().get(1).get("grant_type"), is("refresh_token"));
        assertThat(store.load().orElseThrow().accessToken(), is("access-2"));
    }

    @Test
    void aRefusedRefreshMeansLoggingInAgain() {
        client.login(FakeCodeLab.USERNAME, FakeCodeLab.PASSWORD);
        Tokens stale = store.load().orElseThrow();
        client.sessions().list();
        fake.expireAccessTokens();
        store.save(new Tokens("access-1", "refresh-unknown", stale.expiresAt(), stale.scope()));

        assertThrows(AuthenticationRequiredException.class, () -> client.agents());
    }

    @Test
    void withoutLoginNothingIsSent() {
        assertThrows(
                AuthenticationRequiredException.class, () -> client.sessions().list());
        assertThat(fake.apiRequests(), hasSize(0));
    }

    @Test
    void sessionCallsUseTheDocumentedRequestsAndParseTheAnswers() {
        client.login(FakeCodeLab.USERNAME, FakeCodeLab.PASSWORD);
        Sessions sessions = client.sessions();

        Session created = sessions.create("my task", "be brief");
        assertThat(created.sessionId(), is("s-1"));
        assertThat(created.id(), is("s-1"));
        assertThat(created.currentAgent(), is("orchestrator"));
        assertThat(created.messageCount(), is(0));

        SessionPage page = sessions.list(10, 0);
        assertThat(page.total(), is(1));
        assertThat(page.limit(), is(10));
        assertThat(page.sessions().get(0).title(), is("my task"));

        assertThat(sessions.rename("s-1", "renamed").title(), is("renamed"));
        assertThat(sessions.get("s-1").lastActivity(), is("2026-11-28T10:05:00Z"));

        History history = sessions.history("s-1", 50, "7");
        assertThat(history.messageCount(), is(2));
        assertThat(history.messages().get(0).id(), is("1"));
        assertThat(history.messages().get(1).agentName(), is("ask"));
        assertThat(history.messages().get(1).toolCalls(), is(nullValue()));

        PendingApproval approval = sessions.pendingApprovals("s-1").get(0);
        assertThat(approval.callId(), is("call_9"));
        assertThat(approval.arguments().path("path").asText(), is("a.txt"));
        assertThat(approval.diff(), is("--- a/a.txt\n+++ b/a.txt\n@@ -0,0 +1 @@\n+x\n"));

        sessions.delete("s-1");
        CodeLabException gone = assertThrows(CodeLabException.class, () -> sessions.get("s-1"));
        assertThat(gone.status(), is(404));
        assertThat(gone.error(), is("not_found"));

        assertThat(
                fake.apiRequests(),
                contains(
                        new ApiRequest("POST", "/api/v1/sessions", "", """
                                        {"system_prompt":"be brief","title":"my task"}"""),
                        new ApiRequest("GET", "/api/v1/sessions", "limit=10&offset=0", ""),
                        new ApiRequest("PATCH", "/api/v1/sessions/s-1", "", """
                                {"title":"renamed"}"""),
                        new ApiRequest("GET", "/api/v1/sessions/s-1", "", ""),
                        new ApiRequest("GET", "/api/v1/sessions/s-1/history", "limit=50&before=7", ""),
                        new ApiRequest("GET", "/api/v1/sessions/s-1/pending-approvals", "", ""),
                        new ApiRequest("DELETE", "/api/v1/sessions/s-1", "", ""),
                        new ApiRequest("GET", "/api/v1/sessions/s-1", "", "")));
    }

    @Test
    void agentsAreParsed() {
        client.login(FakeCodeLab.USERNAME, FakeCodeLab.PASSWORD);

        Agent coder = client.agents().get(1);

        assertThat(coder.type(), is("coder"));
        assertThat(coder.name(), is("Coder Agent"));
        assertThat(coder.allowedTools(), contains("read_file"));
    }

    @Test
    void anUnreachableServerIsStatusZero() {
        client.login(FakeCodeLab.USERNAME, FakeCodeLab.PASSWORD);
        fake.close();

        CodeLabException e = assertThrows(CodeLabException.class, () -> client.agents());

        assertThat(e.status(), is(0));
        assertThat(e.getMessage(), containsString("Cannot reach"));
    }
}
