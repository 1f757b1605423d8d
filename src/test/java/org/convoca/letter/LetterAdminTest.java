package org.convoca.letter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LetterAdminTest {
    static TestApp app;
    static LetterFixtures fx;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        fx = new LetterFixtures(app);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    Map<String, String> form(long campaignId, long targetId, String body) {
        Map<String, String> f = new HashMap<>();
        f.put("campaign_id", String.valueOf(campaignId));
        f.put("title", "More counselors");
        f.put("subject", "Counselors for {{ school }}");
        f.put("body", body);
        f.put("editable", "1");
        f.put("targeting", "all");
        f.put("target_ids", String.valueOf(targetId));
        f.put("status", "open");
        return f;
    }

    @Test
    void an_organizer_creates_a_letter_action_and_its_public_page_opens() {
        Target t = fx.target("Ana", "Admin", "admin-create@board.example", "Garfield High", "");
        long campaign = fx.campaign().id();
        Http organizer = app.signedIn("organizer");
        assertThat(organizer.page("/admin/letters/new").html().select("label[for=f-target-" + t.id() + "]").text()).contains("Ana Admin");
        Http.Response created = organizer.post("/admin/letters", form(campaign, t.id(), "Dear {{ family_name }}, {{ story }}"));
        assertThat(created.status()).isEqualTo(303);

        var show = organizer.page(created.location()).html();
        assertThat(show.select("h1").text()).isEqualTo("More counselors");
        String url = show.select("#browser-url").attr("href");
        var page = app.http().get(url.replace(app.baseUrl, "")).html();
        assertThat(page.select("h1").text()).isEqualTo("More counselors");
        assertThat(page.select("#f-school option").eachText()).contains("Garfield High");
    }

    @Test
    void editing_keeps_the_chosen_targets_and_closing_stops_new_letters() {
        Target t = fx.target("Ana", "Edit", "admin-edit@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        Http organizer = app.signedIn("organizer");
        var edit = organizer.page("/admin/letters/" + a.id() + "/edit").html();
        assertThat(edit.select("#f-target-" + t.id()).hasAttr("checked")).isTrue();
        assertThat(edit.select("#f-subject").val()).isEqualTo("Counselors for {{ school }}");

        Map<String, String> f = form(a.campaignId(), t.id(), "New letter from {{ given_name }}");
        assertThat(organizer.post("/admin/letters/" + a.id(), f).status()).isEqualTo(303);
        assertThat(new LetterActionRepository(app.dsl()).find(a.id()).orElseThrow().body()).isEqualTo("New letter from {{ given_name }}");

        organizer.page("/admin/letters/" + a.id());
        assertThat(organizer.post("/admin/letters/" + a.id() + "/status", Map.of("status", "closed")).status()).isEqualTo(303);
        assertThat(app.http().get("/letters/" + a.id()).html().select(".badge").text()).contains("closed");
    }

    @Test
    void an_unknown_merge_field_is_an_error_when_saving() {
        Target t = fx.target("Ana", "Merge", "admin-merge@board.example", "Garfield High", "");
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/letters/new");
        Http.Response r = organizer.post("/admin/letters", form(fx.campaign().id(), t.id(), "Dear {{ target_name }}"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-body-error").text()).contains("merge field that does not exist");
        assertThat(r.html().select("#f-body").text()).isEqualTo("Dear {{ target_name }}");
    }

    @Test
    void the_counts_page_shows_letters_per_target_and_per_day_and_a_printable_summary() {
        Target t = fx.target("Ana", "Cuenta", "cuenta@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        fx.writeAndConfirm(a, LetterFixtures.writer("Marta", "marta-count@parents.example", "Garfield High"));
        fx.writeAndConfirm(a, LetterFixtures.writer("Rosa", "rosa-count@parents.example", "Garfield High"));

        Http organizer = app.signedIn("organizer");
        var show = organizer.page("/admin/letters/" + a.id()).html();
        assertThat(show.select("#total-outreaches").text()).isEqualTo("2");
        assertThat(show.select("table.per-target td").text()).contains("Ana Cuenta").contains("2");
        assertThat(show.select("table.per-day tbody tr")).hasSize(1);

        var summary = organizer.page("/admin/letters/" + a.id() + "/targets/" + t.id() + "/summary").html();
        assertThat(summary.select(".headline").text()).isEqualTo("2 parents from your district wrote to you about More counselors");
        assertThat(summary.select(".story").text()).contains("one counselor for 700 kids").contains("Marta P.");

        Http.Response sent = organizer.post("/admin/letters/" + a.id() + "/targets/" + t.id() + "/summary/send", Map.of());
        assertThat(sent.status()).isEqualTo(303);
        assertThat(fx.to("cuenta@board.example").stream().map(LetterFixtures::subject))
                .contains("2 parents wrote to you about More counselors");
    }

    @Test
    void the_api_creates_and_updates_an_advocacy_campaign_and_counts_its_outreaches() {
        Target t = fx.target("Ana", "Api", "api-action@board.example", "Garfield High", "");
        String key = app.apiKey(app.createUser("api-letters@example.org", "organizer"));
        Http http = app.http();
        Http.Response created = http.json("POST", "/api/v1/advocacy_campaigns", key, """
                {"campaign_id": %d, "title": "Lights on", "subject": "Lights on at {{ school }}",
                 "body": "I am {{ given_name }}.", "editable": false, "targeting": "all",
                 "target_ids": [%d], "status": "open"}""".formatted(fx.campaign().id(), t.id()));
        assertThat(created.status()).isEqualTo(201);
        JsonNode a = created.json();
        assertThat(a.path("browser_url").asText()).endsWith("/letters/" + a.path("id").asLong());
        assertThat(a.path("total_outreaches").asInt()).isZero();
        assertThat(a.path("editable").asBoolean()).isFalse();

        String path = "/api/v1/advocacy_campaigns/" + a.path("id").asLong();
        Http.Response updated = http.json("PUT", path, key, "{\"subject_es\": \"Luces para {{ school }}\", \"body_es\": \"Soy {{ given_name }}.\"}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("subject_es").asText()).isEqualTo("Luces para {{ school }}");
        assertThat(updated.json().path("title").asText()).isEqualTo("Lights on");

        Http.Response bad = http.json("PUT", path, key, "{\"body\": \"Hi {{ nope }}\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("errors").get(0).path("field").asText()).isEqualTo("body");
        assertThat(http.json("GET", "/api/v1/advocacy_campaigns", key, null).json()
                .path("_embedded").path("osdi:advocacy_campaigns").size()).isPositive();
    }

    @Test
    void the_record_outreach_helper_answers_with_the_targets_and_waits_for_the_writers_confirmation() {
        Target match = fx.target("Ana", "Helper", "helper@board.example", "Helper High", "");
        Target other = fx.target("Otro", "Helper", "helper-other@board.example", "Other High", "");
        LetterAction a = fx.action(Targeting.BY_SCHOOL_OR_POSTAL_CODE, List.of(match, other), List.of(), true);
        String key = app.apiKey(app.createUser("api-outreach@example.org", "organizer"));

        Http.Response r = app.http().json("POST", "/api/v1/advocacy_campaigns/" + a.id() + "/outreaches", key, """
                {"person": {"given_name": "Eva", "family_name": "Luna",
                            "email_addresses": [{"address": "eva-api@parents.example"}]},
                 "school": "Helper High", "subject": "Please hire counselors", "body": "From {{ given_name }} at {{ school }}"}""");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("status").asText()).isEqualTo("pending_confirmation");
        assertThat(r.json().path("targets")).hasSize(1);
        assertThat(r.json().path("targets").get(0).asText()).isEqualTo("Ana Helper");
        assertThat(fx.to("helper@board.example")).isEmpty();

        String link = fx.confirmationLink("eva-api@parents.example");
        Http writer = app.http();
        writer.page(link);
        writer.post(link, Map.of());
        var letters = fx.to("helper@board.example");
        assertThat(letters).hasSize(1);
        assertThat(LetterFixtures.subject(letters.get(0))).isEqualTo("Please hire counselors");
        assertThat(LetterFixtures.body(letters.get(0))).contains("From Eva at Helper High");

        Http.Response noPerson = app.http().json("POST", "/api/v1/advocacy_campaigns/" + a.id() + "/outreaches", key,
                "{\"school\": \"Helper High\"}");
        assertThat(noPerson.status()).isEqualTo(422);
    }
}
