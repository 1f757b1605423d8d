package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PetitionAdminTest {
    static TestApp app;
    static PetitionFixtures fx;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        fx = new PetitionFixtures(app);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void a_draft_petition_has_no_public_page_until_it_is_opened_and_then_speaks_both_languages() {
        String admin = fx.petition("admin-draft", PetitionFixtures.form("Counselors now", "admin-draft", "draft"));
        assertThat(app.http().get("/p/admin-draft").status()).isEqualTo(404);
        Http organizer = app.signedIn("organizer");
        organizer.page(admin);
        organizer.post(admin + "/status", Map.of("status", "open"));
        var en = app.http().get("/p/admin-draft").html();
        assertThat(en.select("h1").text()).isEqualTo("Counselors now");
        assertThat(en.select(".targets").text()).contains("LAUSD Board of Education, Board");
        var es = app.http().get("/p/admin-draft?lang=es").html();
        assertThat(es.select("h1").text()).isEqualTo("Consejeros en cada escuela");
        assertThat(es.select(".petition-text").text()).contains("Pedimos a la Junta");
        assertThat(es.select("button.sign-button").text()).isEqualTo("Firmar la petición");
    }

    @Test
    void an_invalid_petition_form_is_shown_again_with_messages_and_values() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/campaigns/new");
        String campaign = organizer.post("/admin/campaigns", Map.of("title", "Form errors", "slug", "form-errors",
                "status", "live")).location();
        organizer.page(campaign + "/petitions/new");
        Map<String, String> bad = PetitionFixtures.form("", "Bad Slug", "open");
        bad.put("signature_goal", "lots");
        bad.put("targets", "");
        Http.Response r = organizer.post(campaign + "/petitions", bad);
        assertThat(r.status()).isEqualTo(422);
        var doc = r.html();
        assertThat(doc.select("#f-title-error").text()).isEqualTo("This field is required.");
        assertThat(doc.select("#f-signature_goal-error").text()).contains("whole number");
        assertThat(doc.select("#f-targets-error").text()).contains("at least one");
        assertThat(doc.select("#f-slug-error").text()).contains("lowercase");
        assertThat(doc.select("#f-petition_text_es").text()).startsWith("Pedimos");
    }

    @Test
    void the_goal_rises_to_the_next_milestone_once_it_is_reached() {
        Map<String, String> f = PetitionFixtures.form("Small goal", "admin-goal", "open");
        f.put("signature_goal", "2");
        long id = PetitionFixtures.id(fx.petition("admin-goal", f));
        for (int i = 0; i < 2; i++) {
            app.http().postRaw("/p/admin-goal/sign", fx.signer(id, "P" + i, "Goal", "goal" + i + "@example.org"));
        }
        var page = app.http().get("/p/admin-goal").html();
        assertThat(page.select(".count").text()).isEqualTo("2 signatures of 5 goal");
        assertThat(page.select("progress").attr("max")).isEqualTo("5");
    }

    @Test
    void organizers_search_signatures_see_a_daily_chart_and_print_a_delivery_page() {
        String admin = fx.openPetition("admin-views");
        long id = PetitionFixtures.id(admin);
        Map<String, String> a = fx.signer(id, "Alma", "Delgado", "alma@example.org");
        a.put("comments", "My son has no counselor.");
        app.http().postRaw("/p/admin-views/sign", a);
        app.http().postRaw("/p/admin-views/sign", fx.signer(id, "Beto", "Vargas", "beto@example.org"));

        Http organizer = app.signedIn("organizer");
        var list = organizer.get(admin + "/signatures?q=alma").html();
        assertThat(list.select("tbody tr")).hasSize(1);
        assertThat(list.select("tbody tr td").first().text()).isEqualTo("Alma Delgado");

        var show = organizer.get(admin).html();
        assertThat(show.select("figure.chart svg rect.bar")).hasSize(30);
        assertThat(show.select("figure.chart figcaption").text()).endsWith(": 2");

        var delivery = organizer.get(admin + "/delivery").html();
        assertThat(delivery.select("h1").text()).contains("LAUSD Board of Education, Board");
        assertThat(delivery.select("ol.names li").eachText()).containsExactly("Alma Delgado", "Beto Vargas");
        assertThat(delivery.select(".comment").text()).contains("My son has no counselor.");
        assertThat(delivery.text()).contains("2 people signed this petition.");
    }

    @Test
    void the_csv_export_neutralises_cells_that_a_spreadsheet_would_run() {
        String admin = fx.openPetition("admin-csv");
        long id = PetitionFixtures.id(admin);
        Map<String, String> evil = fx.signer(id, "=HYPERLINK(\"http://x\")", "@Evil", "evil@example.org");
        evil.put("comments", "+1 -2");
        assertThat(app.http().postRaw("/p/admin-csv/sign", evil).status()).isEqualTo(303);
        Http organizer = app.signedIn("organizer");
        organizer.reauthenticate(TestApp.PASSWORD);  // exports ask for the password again
        Http.Response csv = organizer.get(admin + "/signatures.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        String[] lines = csv.body().split("\r?\n");
        assertThat(lines[0]).startsWith("signature_id,given_name,family_name,email");
        assertThat(lines[1]).contains("\"'=HYPERLINK(\"\"http://x\"\")\"").contains(",'@Evil,").contains(",'+1 -2,");
    }

    @Test
    void the_campaign_admin_page_leads_to_its_petitions() {
        String admin = fx.openPetition("admin-nav");
        Http organizer = app.signedIn("organizer");
        var show = organizer.get(admin).html();
        String campaignPetitions = show.select(".kicker a").attr("href");
        String campaignAdmin = campaignPetitions.replace("/petitions", "");
        assertThat(organizer.get(campaignAdmin).html().select("a[href=" + campaignPetitions + "]")).hasSize(1);
        assertThat(organizer.get(campaignPetitions).html().select(".cards a").text()).isEqualTo("Counselors in every school");
    }

    @Test
    void editing_a_petition_keeps_both_languages_and_it_appears_in_the_list_of_all_petitions() {
        String admin = fx.openPetition("admin-edit");
        Http organizer = app.signedIn("organizer");
        var edit = organizer.page(admin + "/edit").html();
        assertThat(edit.select("#f-targets").text()).contains("LAUSD Board of Education | Board");
        Map<String, String> f = PetitionFixtures.form("Counselors in every school, now", "admin-edit", "open");
        assertThat(organizer.post(admin, f).status()).isEqualTo(303);
        assertThat(app.http().get("/p/admin-edit").html().select("h1").text()).isEqualTo("Counselors in every school, now");
        assertThat(app.http().get("/p/admin-edit?lang=es").html().select("h1").text()).isEqualTo("Consejeros en cada escuela");
        assertThat(organizer.get("/admin/petitions").html().select(".cards a").eachText())
                .contains("Counselors in every school, now");
    }

    @Test
    void a_leader_cannot_open_petition_admin_pages() {
        Http leader = app.signedIn("leader");
        assertThat(leader.get("/admin/petitions").status()).isEqualTo(403);
    }
}
