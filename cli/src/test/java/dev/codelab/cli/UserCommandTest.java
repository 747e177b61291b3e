package dev.codelab.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.codelab.shared.testing.TestInfra;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class UserCommandTest {

    private static String db;

    @BeforeAll
    static void database() {
        db = TestInfra.newDatabase();
    }

    @Test
    void addListDisableAndPasswdWorkOnTheAuthDatabase() throws SQLException {
        Result added =
                run("user", "add", "alice", "--email", "alice@example.com", "--password=Alice-Pass-1", "--db-url", db);
        assertThat(added.err, added.code, is(0));
        assertThat(added.out, startsWith("Created user alice ("));
        String hash = query("SELECT password_hash FROM users WHERE username = 'alice'");
        assertThat(hash, startsWith("$2a$12$"));

        Result listed = run("user", "list", "--db-url", db);
        assertThat(listed.out, containsString("alice"));
        assertThat(listed.out, containsString("alice@example.com"));
        assertThat(listed.out, containsString("active"));

        Result passwd = run("user", "passwd", "ALICE", "--password=Alice-Pass-2", "--db-url", db);
        assertThat(passwd.err, passwd.code, is(0));
        assertThat(
                query("SELECT password_hash FROM users WHERE username = 'alice'")
                        .equals(hash),
                is(false));

        Result disabled = run("user", "disable", "alice@example.com", "--db-url", db);
        assertThat(disabled.out.strip(), is("Disabled user alice"));
        assertThat(query("SELECT is_active FROM users WHERE username = 'alice'"), is("f"));
        assertThat(
                query("SELECT count(*) FROM audit_logs WHERE event_type IN ('user_created', 'user_disabled')"),
                is("2"));
    }

    @Test
    void ruleViolationsAreOneLineErrors() {
        Result weak = run("user", "add", "bob", "--email", "bob@example.com", "--password=short", "--db-url", db);
        assertThat(weak.code, is(1));
        assertThat(weak.err.strip(), is("codelab user: Password must be 8 to 72 characters long"));

        Result missing = run("user", "disable", "nobody", "--db-url", db);
        assertThat(missing.code, is(1));
        assertThat(missing.err.strip(), is("codelab user: No user nobody"));
    }

    @Test
    void keysRotatePublishesANewKey() throws SQLException {
        Result first =
                run("keys", "rotate", "--publish-lead-seconds", "0", "--db-url", db, "--master-key", "cli-test-key");
        assertThat(first.err, first.code, is(0));
        Result second = run("keys", "rotate", "--db-url", db, "--master-key", "cli-test-key");
        assertThat(second.out, containsString("published"));

        Result listed = run("keys", "list", "--db-url", db, "--master-key", "cli-test-key");
        assertThat(listed.out, containsString("active"));
        assertThat(listed.out, containsString("published"));
        assertThat(query("SELECT count(*) FROM signing_keys"), is("2"));
    }

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Main())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
