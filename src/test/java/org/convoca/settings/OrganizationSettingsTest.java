package org.convoca.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrganizationSettingsTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void an_admin_edits_the_settings_and_the_footer_and_api_show_them() {
        Http admin = app.signedIn("admin");
        admin.page("/admin/settings");
        Http.Response saved = admin.post("/admin/settings", Map.of("name", "United Parents for Educational Justice",
                "postal_address", "1000 S Hill St, Los Angeles, CA 90015", "sender_email", "hola@upej.example",
                "sender_name", "UPEJ", "default_language", "es"));
        assertThat(saved.status()).isEqualTo(303);
        var page = app.http().get("/").html();
        assertThat(page.select("footer").text()).contains("United Parents for Educational Justice").contains("1000 S Hill St");
        assertThat(page.select("html").attr("lang")).as("the default language applies without Accept-Language").isEqualTo("es");

        String token = app.apiKey(app.createUser("reader-" + System.nanoTime() + "@example.org", "organizer"));
        var json = app.http().json("GET", "/api/v1/organization", token, null).json();
        assertThat(json.get("name").asText()).isEqualTo("United Parents for Educational Justice");
        assertThat(json.get("sender_email").asText()).isEqualTo("hola@upej.example");
        assertThat(json.get("default_language").asText()).isEqualTo("es");
        assertThat(json.get("identifiers").get(0).asText()).isEqualTo("convoca:1");
    }

    @Test
    void invalid_settings_are_shown_next_to_the_fields_and_nothing_changes() {
        Http admin = app.signedIn("admin");
        admin.page("/admin/settings");
        Http.Response r = admin.post("/admin/settings", Map.of("name", "", "postal_address", "x",
                "sender_email", "not an email", "sender_name", "", "default_language", "fr"));
        assertThat(r.status()).isEqualTo(422);
        var doc = r.html();
        assertThat(doc.select("#f-name-error").text()).isEqualTo("This field is required.");
        assertThat(doc.select("#f-sender_email-error").text()).contains("email address");
        assertThat(doc.select("#f-sender_email").val()).isEqualTo("not an email");
    }

    @Test
    void the_api_updates_settings_for_admins_only_and_validates() {
        String adminToken = app.apiKey(app.createUser("api-admin-" + System.nanoTime() + "@example.org", "admin"));
        String organizerToken = app.apiKey(app.createUser("api-org-" + System.nanoTime() + "@example.org", "organizer"));
        assertThat(app.http().json("PUT", "/api/v1/organization", organizerToken, "{\"name\":\"X\"}").status()).isEqualTo(403);

        Http.Response bad = app.http().json("PUT", "/api/v1/organization", adminToken, "{\"sender_email\":\"nope\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("sender_email");

        Http.Response ok = app.http().json("PUT", "/api/v1/organization", adminToken, "{\"postal_address\":\"PO Box 7, LA\"}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("postal_address").asText()).isEqualTo("PO Box 7, LA");
        assertThat(ok.json().get("name").asText()).as("fields not sent are kept").isNotBlank();
    }
}
