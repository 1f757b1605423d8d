package org.convoca.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.SESSIONS;

import java.time.OffsetDateTime;
import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.Test;

class SessionLifetimeTest {
    @Test
    void a_session_ends_after_sitting_idle_and_at_its_absolute_expiry() {
        try (TestApp app = TestApp.startWithoutSmtp()) {
            Http idle = app.signedIn("organizer");
            Http old = app.signedIn("organizer");
            Http fresh = app.signedIn("organizer");
            var ids = app.dsl().select(SESSIONS.TOKEN_HASH).from(SESSIONS).orderBy(SESSIONS.CREATED_AT).fetch(SESSIONS.TOKEN_HASH);
            app.dsl().update(SESSIONS).set(SESSIONS.LAST_SEEN_AT, OffsetDateTime.now().minus(SessionRepository.IDLE_TIMEOUT).minusMinutes(1))
                    .where(SESSIONS.TOKEN_HASH.eq(ids.get(0))).execute();
            app.dsl().update(SESSIONS).set(SESSIONS.EXPIRES_AT, OffsetDateTime.now().minusSeconds(1))
                    .where(SESSIONS.TOKEN_HASH.eq(ids.get(1))).execute();
            assertThat(idle.get("/admin").status()).isEqualTo(303);
            assertThat(old.get("/admin").status()).isEqualTo(303);
            assertThat(fresh.get("/admin").status()).isEqualTo(200);
        }
    }

    @Test
    void behind_https_the_cookies_are_secure_host_prefixed_and_hsts_is_sent() {
        try (TestApp app = TestApp.startBehindHttps()) {
            String email = "https-" + System.nanoTime() + "@example.org";
            app.createUser(email, "organizer");
            Http http = app.http();
            Http.Response form = http.page("/login");
            assertThat(form.header("Strict-Transport-Security")).contains("max-age=");
            assertThat(form.raw().headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("__Host-convoca_csrf=") && c.contains("Secure"));
            // java.net's cookie store will not send Secure cookies over plain HTTP: pass the CSRF cookie by hand.
            String csrfCookie = form.raw().headers().allValues("Set-Cookie").get(0).split(";")[0];
            Http.Response login = http.postRaw("/login", Map.of("email", email, "password", TestApp.PASSWORD, "_csrf", http.csrf()),
                    "Cookie", csrfCookie);
            assertThat(login.status()).isEqualTo(303);
            assertThat(login.raw().headers().allValues("Set-Cookie"))
                    .anyMatch(c -> c.startsWith("__Host-convoca_session=") && c.contains("Secure") && c.contains("HttpOnly")
                            && c.contains("Path=/") && !c.contains("Domain"));
        }
    }
}
