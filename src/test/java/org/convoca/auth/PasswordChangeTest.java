package org.convoca.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordChangeTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void changing_the_password_needs_the_current_one_and_signs_out_other_devices_only() {
        String email = "change-" + System.nanoTime() + "@example.org";
        app.createUser(email, "leader");
        Http phone = app.http();
        phone.login(email, TestApp.PASSWORD);
        Http laptop = app.http();
        laptop.login(email, TestApp.PASSWORD);

        laptop.page("/admin/password");
        Http.Response wrong = laptop.post("/admin/password", Map.of("current_password", "not my password",
                "password", "a fresh passphrase here", "password_confirm", "a fresh passphrase here"));
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.html().select("#f-current_password-error").text()).contains("not your current password");

        Http.Response ok = laptop.post("/admin/password", Map.of("current_password", TestApp.PASSWORD,
                "password", "a fresh passphrase here", "password_confirm", "a fresh passphrase here"));
        assertThat(ok.status()).isEqualTo(303);
        assertThat(laptop.get("/admin").status()).as("this device stays signed in").isEqualTo(200);
        assertThat(phone.get("/admin").status()).as("other devices are signed out").isEqualTo(303);
        app.http().login(email, "a fresh passphrase here");
    }

    @Test
    void a_password_from_breach_lists_is_refused_even_when_long() {
        assertThat(Passwords.problem("password1234")).isEqualTo("password.common");
        assertThat(Passwords.problem("PASSWORD1234")).isEqualTo("password.common");
        assertThat(Passwords.problem("qwertyuiopasdfgh")).isEqualTo("password.common");
        assertThat(Passwords.problem("purple giraffe rides the bus")).isNull();
        assertThat(Passwords.problem("short")).isEqualTo("password.too_short");
    }
}
