package org.convoca.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.SESSIONS;

import java.time.OffsetDateTime;
import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReauthenticationTest {
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
    void exporting_people_asks_for_the_password_again_then_returns_to_the_export() {
        String email = "export-" + System.nanoTime() + "@example.org";
        app.createUser(email, "organizer");
        Http http = app.http();
        http.login(email, TestApp.PASSWORD);

        Http.Response first = http.get("/admin/people/export.csv?q=ana");
        assertThat(first.status()).isEqualTo(303);
        assertThat(first.location()).isEqualTo("/admin/confirm?next=%2Fadmin%2Fpeople%2Fexport.csv%3Fq%3Dana");

        http.page(first.location());
        Http.Response wrong = http.post("/admin/confirm", Map.of("password", "not my password", "next", "/admin/people/export.csv?q=ana"));
        assertThat(wrong.status()).isEqualTo(422);
        Http.Response ok = http.post("/admin/confirm", Map.of("password", TestApp.PASSWORD, "next", "/admin/people/export.csv?q=ana"));
        assertThat(ok.location()).isEqualTo("/admin/people/export.csv?q=ana");
        Http.Response csv = http.get(ok.location());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");

        app.dsl().update(SESSIONS).set(SESSIONS.REAUTHENTICATED_AT, OffsetDateTime.now().minus(Reauthentication.FRESH).minusMinutes(1)).execute();
        assertThat(http.get("/admin/people/export.csv").status()).as("the confirmation wears off").isEqualTo(303);
    }

    @Test
    void a_confirm_page_cannot_send_anyone_to_another_site() {
        Http http = app.signedIn("organizer");
        http.page("/admin/confirm?next=https://evil.example");
        Http.Response r = http.post("/admin/confirm", Map.of("password", TestApp.PASSWORD, "next", "https://evil.example"));
        assertThat(r.location()).isEqualTo("/admin");
    }
}
