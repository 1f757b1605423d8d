package org.convoca.supporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PreferencesTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static long person(String email, String lang) {
        return app.dsl().transactionResult(c -> PersonRepository.upsert(c.dsl(),
                new PersonInput("Inés", "", email, "", "", lang, true, ""), "",
                new PersonRepository.Origin("test", "form", null)).personId());
    }

    static String status(long id) {
        return app.dsl().select(PEOPLE.EMAIL_STATUS).from(PEOPLE).where(PEOPLE.ID.eq(id)).fetchOne().value1();
    }

    @Test
    void a_supporter_unsubscribes_from_the_signed_link_in_their_language_and_the_consent_is_recorded() {
        long id = person("ines@example.org", "es");
        String url = app.app.preferenceLinks().url(id).replace(app.baseUrl, "");
        Http visitor = app.http();
        var page = visitor.page(url);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.html().select("html").attr("lang")).isEqualTo("es");
        assertThat(page.html().select("h1").text()).isEqualTo("Sus preferencias de correo");
        var saved = visitor.post("/preferences", Map.of("p", String.valueOf(id), "t", app.app.preferenceLinks().token(id),
                "email_status", "unsubscribed", "language", "es"));
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.html().select(".flash").text()).isEqualTo("Guardado. Ya no recibirá nuestros correos.");
        assertThat(status(id)).isEqualTo("unsubscribed");
        var consent = app.dsl().selectFrom(CONSENTS).where(CONSENTS.PERSON_ID.eq(id)).and(CONSENTS.GRANTED.isFalse()).fetchOne();
        assertThat(consent.getMethod()).isEqualTo("preferences_page");
        assertThat(consent.getIpHash()).hasSize(64);
    }

    @Test
    void a_link_with_a_wrong_signature_shows_nothing_and_changes_nothing() {
        long id = person("other.prefs@example.org", "en");
        var r = app.http().get("/preferences?p=" + id + "&t=" + "0".repeat(32));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("other.prefs@example.org");
        var post = app.http().postRaw("/preferences/one-click?p=" + id + "&t=nope", Map.of("List-Unsubscribe", "One-Click"));
        assertThat(post.status()).isEqualTo(404);
        assertThat(status(id)).isEqualTo("subscribed");
    }

    @Test
    void one_click_unsubscribe_works_without_a_page_or_csrf_token() {
        long id = person("oneclick@example.org", "en");
        String url = app.app.preferenceLinks().oneClickUrl(id).replace(app.baseUrl, "");
        assertThat(app.http().postRaw(url, Map.of("List-Unsubscribe", "One-Click")).status()).isEqualTo(200);
        assertThat(status(id)).isEqualTo("unsubscribed");
        assertThat(app.dsl().fetchCount(CONSENTS, CONSENTS.PERSON_ID.eq(id).and(CONSENTS.METHOD.eq("one_click")))).isEqualTo(1);
    }
}
