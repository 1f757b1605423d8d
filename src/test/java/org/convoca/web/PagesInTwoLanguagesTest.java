package org.convoca.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PagesInTwoLanguagesTest {
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
    void the_lang_parameter_wins_over_accept_language() {
        Http http = app.http();
        var page = http.get("/login?lang=en", "Accept-Language", "es-MX,es;q=0.9").html();
        assertThat(page.select("html").attr("lang")).isEqualTo("en");
        assertThat(page.select("h1").text()).isEqualTo("Staff sign in");
    }

    @Test
    void accept_language_chooses_spanish_and_the_switch_link_offers_english() {
        var page = app.http().get("/login", "Accept-Language", "es-US,es;q=0.9").html();
        assertThat(page.select("html").attr("lang")).isEqualTo("es");
        assertThat(page.select("h1").text()).isEqualTo("Acceso del equipo");
        assertThat(page.select("label[for=f-email]").text()).contains("Correo electrónico");
        assertThat(page.select("nav.langs a").attr("href")).isEqualTo("/login?lang=en");
    }

    @Test
    void pages_answer_with_security_headers_and_a_charset() {
        Http.Response r = app.http().get("/login");
        assertThat(r.header("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).isNotBlank();
        assertThat(r.header("Permissions-Policy")).isNotBlank();
        assertThat(r.header("Content-Type")).containsIgnoringCase("charset=utf-8");
        Http.Response json = app.http().get("/healthz");
        assertThat(json.header("Content-Type")).containsIgnoringCase("charset=utf-8");
        Http.Response css = app.http().get("/static/app.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void a_json_endpoint_answers_a_missing_resource_with_problem_json() {
        Http.Response r = app.http().get("/p/no-such-petition/count.json");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void an_unknown_page_is_a_friendly_404_in_the_visitors_language() {
        Http.Response r = app.http().get("/no-such-page", "Accept-Language", "es");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.html().select("h1").text()).isEqualTo("No encontramos esa página.");
    }
}
