package org.convoca.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.SESSIONS;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignInTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String newUser(String role) {
        String email = "staff-" + System.nanoTime() + "@example.org";
        app.createUser(email, role);
        return email;
    }

    @Test
    void signing_in_sets_an_http_only_same_site_session_cookie_and_opens_the_admin() {
        String email = newUser("organizer");
        Http http = app.http();
        http.page("/login");
        Http.Response r = http.post("/login", Map.of("email", email.toUpperCase(), "password", TestApp.PASSWORD));
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.location()).isEqualTo("/admin");
        String cookie = r.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("convoca_session=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");
        assertThat(http.get("/admin").html().select("h1").text()).startsWith("Welcome");
    }

    @Test
    void a_wrong_password_shows_an_error_and_no_session() {
        String email = newUser("organizer");
        Http http = app.http();
        http.page("/login");
        Http.Response r = http.post("/login", Map.of("email", email, "password", "wrong password here"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.html().select("[role=alert]").text()).contains("do not match");
        assertThat(r.html().select("#f-email").val()).isEqualTo(email);
        assertThat(http.get("/admin").status()).isEqualTo(303);
    }

    @Test
    void after_five_failures_even_the_right_password_is_refused_for_a_while() {
        String email = newUser("organizer");
        Http http = app.http();
        http.page("/login");
        for (int i = 0; i < LoginThrottle.MAX_PER_ACCOUNT; i++) {
            assertThat(http.post("/login", Map.of("email", email, "password", "guess number " + i)).status()).isEqualTo(401);
        }
        Http.Response blocked = http.post("/login", Map.of("email", email, "password", TestApp.PASSWORD));
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.html().select("[role=alert]").text()).contains("Too many failed attempts");
    }

    @Test
    void a_login_post_without_the_csrf_token_is_refused() {
        String email = newUser("organizer");
        Http http = app.http();
        http.get("/login");  // gets the cookie but the test does not send the token
        Http.Response r = http.postRaw("/login", Map.of("email", email, "password", TestApp.PASSWORD));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.html().select("h1").text()).contains("form expired");
    }

    @Test
    void a_signed_in_form_with_another_sessions_token_is_refused() {
        Http organizer = app.signedIn("organizer");
        Http other = app.signedIn("organizer");
        organizer.page("/admin/campaigns/new");
        Http.Response r = organizer.postRaw("/admin/campaigns", Map.of("title", "Forged", "_csrf", other.csrf()));
        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void signing_out_ends_the_session_on_the_server() {
        Http http = app.signedIn("organizer");
        long before = app.dsl().fetchCount(SESSIONS);
        Http.Response r = http.post("/logout", Map.of());
        assertThat(r.status()).isEqualTo(303);
        assertThat(app.dsl().fetchCount(SESSIONS)).isEqualTo(before - 1);
        assertThat(http.get("/admin").status()).isEqualTo(303);
        assertThat(http.get("/login").html().select(".flash").text()).isEqualTo("You are signed out.");
    }

    @Test
    void anonymous_visitors_are_sent_to_login_and_come_back_after() {
        String email = newUser("organizer");
        Http http = app.http();
        Http.Response r = http.get("/admin/campaigns?page=1");
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.location()).isEqualTo("/login?next=%2Fadmin%2Fcampaigns%3Fpage%3D1");
        http.page(r.location());
        Http.Response in = http.post("/login", Map.of("email", email, "password", TestApp.PASSWORD, "next", "/admin/campaigns?page=1"));
        assertThat(in.location()).isEqualTo("/admin/campaigns?page=1");
    }

    @Test
    void a_next_parameter_pointing_elsewhere_is_ignored() {
        assertThat(AuthRoutes.safeNext("https://evil.example")).isEqualTo("/admin");
        assertThat(AuthRoutes.safeNext("//evil.example/x")).isEqualTo("/admin");
        assertThat(AuthRoutes.safeNext("/\\evil.example")).isEqualTo("/admin");
        assertThat(AuthRoutes.safeNext("/admin/campaigns")).isEqualTo("/admin/campaigns");
    }

    @Test
    void organizers_cannot_open_admin_only_pages() {
        Http organizer = app.signedIn("organizer");
        assertThat(organizer.get("/admin/users").status()).isEqualTo(403);
        assertThat(organizer.get("/admin/settings").status()).isEqualTo(403);
        Http admin = app.signedIn("admin");
        assertThat(admin.get("/admin/users").status()).isEqualTo(200);
    }

    @Test
    void an_admin_creates_a_staff_account_and_weak_passwords_are_refused() {
        Http admin = app.signedIn("admin");
        admin.page("/admin/users");
        Http.Response weak = admin.post("/admin/users", Map.of("email", "new-leader@example.org", "name", "Lupe", "role", "leader", "password", "short"));
        assertThat(weak.status()).isEqualTo(422);
        assertThat(weak.html().select("#f-password-error").text()).contains("at least 12 characters");
        assertThat(weak.html().select("#f-email").val()).isEqualTo("new-leader@example.org");
        Http.Response ok = admin.post("/admin/users", Map.of("email", "new-leader@example.org", "name", "Lupe", "role", "leader", "password", "twelve chars or more"));
        assertThat(ok.status()).isEqualTo(303);
        Http leader = app.http();
        leader.login("new-leader@example.org", "twelve chars or more");
        assertThat(leader.get("/admin").status()).isEqualTo(200);
    }
}
