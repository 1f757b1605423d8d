package org.convoca.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.USERS;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TwoFactorTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String now(String secret, int stepsFromNow) {
        return Totp.codeAt(secret, System.currentTimeMillis() / 1000 + stepsFromNow * 30L);
    }

    @Test
    void enabling_totp_makes_sign_in_ask_for_a_code_that_works_once() {
        String email = "totp-" + System.nanoTime() + "@example.org";
        app.createUser(email, "organizer");
        Http http = app.http();
        http.login(email, TestApp.PASSWORD);
        http.page("/admin/security");
        var enrol = http.post("/admin/security/totp", Map.of()).html();
        assertThat(enrol.select("img[src^=data:image/png;base64,]")).hasSize(1);
        String secret = enrol.select("code.token").text();

        Http.Response wrong = http.post("/admin/security/totp/confirm", Map.of("code", "000000"));
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(http.post("/admin/security/totp/confirm", Map.of("code", now(secret, 0))).status()).isEqualTo(303);
        assertThat(app.dsl().select(USERS.TOTP_SECRET).from(USERS).where(USERS.EMAIL.eq(email)).fetchOne().value1()).isEqualTo(secret);

        Http phone = app.http();
        phone.page("/login");
        Http.Response pw = phone.post("/login", Map.of("email", email, "password", TestApp.PASSWORD));
        assertThat(pw.location()).isEqualTo("/login/code");
        assertThat(phone.get("/admin").status()).as("no session before the code").isEqualTo(303);
        phone.page("/login/code");
        String code = now(secret, 1);
        Http.Response ok = phone.post("/login/code", Map.of("code", code));
        assertThat(ok.status()).isEqualTo(303);
        assertThat(phone.get("/admin").status()).isEqualTo(200);

        Http replay = app.http();
        replay.page("/login");
        replay.post("/login", Map.of("email", email, "password", TestApp.PASSWORD));
        replay.page("/login/code");
        Http.Response again = replay.post("/login/code", Map.of("code", code));
        assertThat(again.status()).as("a used code cannot be replayed").isEqualTo(422);
    }

    @Test
    void five_wrong_codes_end_the_attempt() {
        String email = "totp-guess-" + System.nanoTime() + "@example.org";
        var user = app.createUser(email, "organizer");
        new TwoFactorRepository(app.dsl()).enable(user.id(), Totp.newSecret(), 0);
        Http http = app.http();
        http.page("/login");
        http.post("/login", Map.of("email", email, "password", TestApp.PASSWORD));
        http.page("/login/code");
        for (int i = 0; i < TwoFactorRepository.MAX_ATTEMPTS; i++) {
            assertThat(http.post("/login/code", Map.of("code", String.format("%06d", i))).status()).isEqualTo(422);
        }
        Http.Response locked = http.post("/login/code", Map.of("code", "123456"));
        assertThat(locked.status()).isEqualTo(303);
        assertThat(locked.location()).isEqualTo("/login");
    }

    @Test
    void codes_match_within_one_step_of_drift_only() {
        String secret = Totp.newSecret();
        long t = 1_800_000_000L;
        assertThat(Totp.matchingStep(secret, Totp.codeAt(secret, t), t)).isEqualTo(t / 30);
        assertThat(Totp.matchingStep(secret, Totp.codeAt(secret, t - 30), t)).isEqualTo(t / 30 - 1);
        assertThat(Totp.matchingStep(secret, Totp.codeAt(secret, t - 90), t)).isEqualTo(-1);
        assertThat(Totp.matchingStep(secret, "12345", t)).isEqualTo(-1);
    }
}
