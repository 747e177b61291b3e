package dev.codelab.agent.approval;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.http.Json;
import io.helidon.config.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApprovalPolicyTest {

    private static final ApprovalPolicy DEFAULTS = ApprovalPolicy.from(
            ServiceConfig.load("AGENT_RUNTIME", Map.of(), Map.of()).get("agent-runtime.approval-rules"));

    private static JsonNode args(String json) throws Exception {
        return Json.read(json);
    }

    private static Decision.Verdict command(String command) throws Exception {
        return DEFAULTS.decide("execute_command", args("""
                {"command":%s}\
                """.formatted(Json.write(command))))
                .verdict();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '#',
            value = {
                "git status#ALLOW",
                "git   diff HEAD~1#ALLOW",
                "ls -la src#ALLOW",
                "mvn test -q#ALLOW",
                "git push#ASK",
                "gitstatus#ASK",
                "make build#ASK",
                "sudo apt install x#DENY",
                "rm -rf /#DENY",
                "rm -rf /tmp/build#ASK",
                "dd if=/dev/zero of=x#DENY",
                "git status && ls#ALLOW",
                "git status && rm -rf build#ASK",
                "ls; sudo reboot#DENY",
                "cat a.txt | grep x#ASK",
                "echo $(sudo id)#DENY",
                "ls `mkfs /dev/sda`#DENY",
                ":(){ :|:& };:#DENY"
            })
    void commandsAreJudgedPartByPart(String command, Decision.Verdict expected) throws Exception {
        assertThat(command, command(command), is(expected));
    }

    @Test
    void defaultsForFileTools() throws Exception {
        assertThat(DEFAULTS.decide("read_file", args("""
                {"path":"a"}\
                """)).verdict(), is(Decision.Verdict.ALLOW));
        assertThat(DEFAULTS.decide("list_files", args("""
                {"path":"."}\
                """)).verdict(), is(Decision.Verdict.ALLOW));
        assertThat(DEFAULTS.decide("search_in_code", args("""
                {"query":"x"}\
                """)).verdict(), is(Decision.Verdict.ALLOW));
        Decision write = DEFAULTS.decide("write_file", args("""
                {"path":"a.txt","content":""}\
                """));
        assertThat(write.verdict(), is(Decision.Verdict.ASK));
        assertThat(write.reason(), is("File modification requires user approval"));
        assertThat(DEFAULTS.decide("create_directory", args("""
                {"path":"d"}\
                """)).verdict(), is(Decision.Verdict.ASK));
    }

    @Test
    void secretFilesAlwaysAskEvenWhenARuleAllowsWrites() throws Exception {
        ApprovalPolicy permissive = ApprovalPolicy.from(Config.just(io.helidon.config.ConfigSources.create(
                        Map.of("rules.0.tool", "write_file", "rules.0.decision", "allow")))
                .get("rules"));
        assertThat(permissive.decide("write_file", args("""
                                {"path":"src/a.txt"}\
                                """)).verdict(), is(Decision.Verdict.ALLOW));
        for (String path : new String[] {".env", "config/.env.local", "certs/server.pem", "id.key"}) {
            Decision decision = permissive.decide("write_file", args("""
                    {"path":"%s"}\
                    """.formatted(path)));
            assertThat(path, decision.verdict(), is(Decision.Verdict.ASK));
        }
    }

    @Test
    void argumentPatternRulesMatchInOrder() throws Exception {
        ApprovalPolicy policy = ApprovalPolicy.from(Config.just(io.helidon.config.ConfigSources.create(Map.of(
                        "rules.0.tool",
                        "write_file",
                        "rules.0.argument",
                        "path",
                        "rules.0.pattern",
                        "^docs/",
                        "rules.0.decision",
                        "allow",
                        "rules.1.tool",
                        "*",
                        "rules.1.decision",
                        "deny",
                        "rules.1.reason",
                        "locked down")))
                .get("rules"));

        assertThat(policy.decide("write_file", args("""
                {"path":"docs/a.md"}\
                """)).verdict(), is(Decision.Verdict.ALLOW));
        Decision other = policy.decide("write_file", args("""
                {"path":"src/a.md"}\
                """));
        assertThat(other.verdict(), is(Decision.Verdict.DENY));
        assertThat(other.reason(), is("locked down"));
    }

    @Test
    void noMatchingRuleAsks() throws Exception {
        ApprovalPolicy empty = ApprovalPolicy.from(Config.empty());
        assertThat(empty.decide("read_file", args("""
                {"path":"a"}\
                """)).verdict(), is(Decision.Verdict.ASK));
    }
}
