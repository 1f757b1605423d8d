package org.convoca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.convoca.auth.ApiKeyRepository;
import org.convoca.db.Database;
import org.convoca.db.DatabaseUrl;
import org.convoca.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The command line as the contract fixes it: create-user, create-api-key, migrate. */
class CliTest {
    static DatabaseUrl url;
    static String jdbc;

    @BeforeAll
    static void database() {
        url = TestDatabase.fresh();
        jdbc = url.jdbcUrl() + (url.jdbcUrl().contains("?") ? "&" : "?") + "user=" + url.username() + "&password=" + url.password();
    }

    record Run(int code, String out, String err) {
    }

    Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Config config = Config.fromEnvironment(Map.of("DATABASE_URL", jdbc, "DATA_DIR", Path.of("target/cli-data").toString()));
        int code = new Main(config, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void create_user_reads_the_password_from_stdin_and_refuses_a_second_account_with_the_same_email() {
        Run ok = run("a long enough passphrase\n", "create-user", "--email", "Maria@Example.org", "--role", "admin", "--name", "María");
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("Created admin Maria@Example.org");

        Run again = run("another long passphrase\n", "create-user", "--email", "maria@example.org ", "--role", "organizer");
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("already exists");
    }

    @Test
    void create_user_explains_bad_input() {
        assertThat(run("short\n", "create-user", "--email", "x@example.org", "--role", "admin").err()).contains("at least 12 characters");
        assertThat(run("a long enough passphrase\n", "create-user", "--email", "x@example.org", "--role", "boss").err()).contains("admin, organizer or leader");
        assertThat(run("a long enough passphrase\n", "create-user", "--email", "not-an-email", "--role", "admin").err()).contains("email");
        assertThat(run("", "create-user", "--email", "x@example.org", "--role", "admin").code()).isNotZero();
        assertThat(run("", "create-user", "--email").code()).isNotZero();
        assertThat(run("", "frobnicate").code()).isNotZero();
    }

    @Test
    void create_api_key_prints_only_the_token_and_the_token_works() {
        run("a long enough passphrase\n", "create-user", "--email", "keys@example.org", "--role", "organizer");
        Run r = run("", "create-api-key", "--email", "KEYS@example.org", "--name", "zapier");
        assertThat(r.code()).isZero();
        String token = r.out().strip();
        assertThat(token).matches("cvk_[A-Za-z0-9_-]{43}");
        try (Database db = new Database(url, 2)) {
            assertThat(new ApiKeyRepository(db.dsl()).authenticate(token)).isPresent();
        }
        assertThat(run("", "create-api-key", "--email", "nobody@example.org").code()).isNotZero();
    }

    @Test
    void migrate_applies_migrations_and_exits_zero() {
        Run r = run("", "migrate");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Migrations applied");
    }

    @Test
    void a_postgres_url_is_understood() {
        DatabaseUrl parsed = DatabaseUrl.parse("postgres://ana:p%40ss@db.example:5433/convoca?sslmode=require");
        assertThat(parsed.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/convoca?sslmode=require");
        assertThat(parsed.username()).isEqualTo("ana");
        assertThat(parsed.password()).isEqualTo("p@ss");
        assertThat(parsed.safeForLogs()).doesNotContain("p@ss");
    }
}
