package org.convoca.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CampaignAdminTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static Map<String, String> form(String title, String slug) {
        Map<String, String> f = new HashMap<>();
        f.put("title", title);
        f.put("title_es", "Consejeros, no policías");
        f.put("slug", slug);
        f.put("summary", "More counselors in every school");
        f.put("description", "We need **counselors**.\n\n<script>alert('x')</script>");
        f.put("targets", "LAUSD Board of Education\nSuperintendent");
        f.put("status", "draft");
        f.put("start_date", "2026-12-01");
        f.put("end_date", "2027-02-01");
        f.put("image_url", "");
        return f;
    }

    @Test
    void an_organizer_creates_a_campaign_and_publishing_it_opens_its_public_page() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/campaigns/new");
        Http.Response created = organizer.post("/admin/campaigns", form("Counselors, not cops", "counselors-1"));
        assertThat(created.status()).isEqualTo(303);
        String adminUrl = created.location();
        assertThat(adminUrl).matches("/admin/campaigns/\\d+");

        Http visitor = app.http();
        assertThat(visitor.get("/c/counselors-1").status()).as("a draft has no public page").isEqualTo(404);

        organizer.page(adminUrl);
        assertThat(organizer.post(adminUrl + "/status", Map.of("status", "live")).status()).isEqualTo(303);

        Http.Response page = visitor.get("/c/counselors-1");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.html().select("h1").text()).isEqualTo("Counselors, not cops");
        assertThat(page.html().select(".prose strong").text()).isEqualTo("counselors");
        assertThat(page.body()).doesNotContain("<script>alert");
        assertThat(page.body()).contains("LAUSD Board of Education, Superintendent");

        Http.Response spanish = visitor.get("/c/counselors-1?lang=es");
        assertThat(spanish.html().select("h1").text()).isEqualTo("Consejeros, no policías");
        assertThat(spanish.html().select("html").attr("lang")).isEqualTo("es");
    }

    @Test
    void a_form_with_errors_is_shown_again_with_the_values_and_a_message_next_to_each_field() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/campaigns/new");
        Map<String, String> bad = form("", "Not A Slug!");
        bad.put("summary", "kept summary");
        bad.put("end_date", "2020-01-01");
        Http.Response r = organizer.post("/admin/campaigns", bad);
        assertThat(r.status()).isEqualTo(422);
        var doc = r.html();
        assertThat(doc.select("#f-title-error").text()).isEqualTo("This field is required.");
        assertThat(doc.select("#f-title").attr("aria-invalid")).isEqualTo("true");
        assertThat(doc.select("#f-slug-error").text()).contains("lowercase letters");
        assertThat(doc.select("#f-end_date-error").text()).contains("on or after the start date");
        assertThat(doc.select("#f-summary").text()).isEqualTo("kept summary");
        assertThat(doc.select(".error-summary a[href=#f-title]")).hasSize(1);
    }

    @Test
    void two_campaigns_cannot_share_a_slug() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/campaigns/new");
        assertThat(organizer.post("/admin/campaigns", form("First", "same-slug")).status()).isEqualTo(303);
        organizer.page("/admin/campaigns/new");
        Http.Response second = organizer.post("/admin/campaigns", form("Second", "same-slug"));
        assertThat(second.status()).isEqualTo(422);
        assertThat(second.html().select("#f-slug-error").text()).contains("already uses");
    }

    @Test
    void editing_keeps_what_was_not_changed_and_closing_shows_a_closed_notice() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/campaigns/new");
        Map<String, String> f = form("Lights on after school", "lights-on");
        f.put("status", "live");
        String adminUrl = organizer.post("/admin/campaigns", f).location();

        var edit = organizer.page(adminUrl + "/edit").html();
        assertThat(edit.select("#f-title").val()).isEqualTo("Lights on after school");
        f.put("title", "Lights on after school, every school");
        assertThat(organizer.post(adminUrl, f).status()).isEqualTo(303);
        organizer.page(adminUrl);
        organizer.post(adminUrl + "/status", Map.of("status", "closed"));

        var page = app.http().get("/c/lights-on").html();
        assertThat(page.select("h1").text()).isEqualTo("Lights on after school, every school");
        assertThat(page.select("p.lead").text()).isEqualTo("More counselors in every school");
        assertThat(page.select(".badge").text()).contains("closed");
    }

    @Test
    void a_leader_cannot_open_the_campaign_admin() {
        Http leader = app.signedIn("leader");
        assertThat(leader.get("/admin/campaigns").status()).isEqualTo(403);
    }
}
