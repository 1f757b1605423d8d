package org.convoca.supporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SegmentAdminTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
        long ana = person("Ana", "seg.ana@example.org", "90011");
        long beto = person("Beto", "seg.beto@example.org", "90022");
        long cruz = person("Cruz", "seg.cruz@example.org", "90033");
        app.dsl().transaction(c -> {
            var tx = c.dsl();
            Activities.record(tx, ana, "event.attended", 1L, Map.of());
            Activities.record(tx, ana, "event.attended", 2L, Map.of());
            Activities.record(tx, ana, "event.attended", 2L, Map.of());
            Activities.record(tx, beto, "event.attended", 1L, Map.of());
            Activities.record(tx, beto, "petition.signed", 40L, Map.of());
            Activities.record(tx, cruz, "event.pledged", 2L, Map.of());
            TagRepository.add(tx, cruz, "Leader");
        });
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static long person(String given, String email, String zip) {
        return app.dsl().transactionResult(c -> PersonRepository.upsert(c.dsl(),
                new PersonInput(given, "Seg", email, zip, "", "es", true, ""), "",
                new PersonRepository.Origin("test", "form", null)).personId());
    }

    static Map<String, String> builder(String action, String match, String... rows) {
        Map<String, String> f = new HashMap<>();
        f.put("name", "Regulars");
        f.put("match", match);
        f.put("action", action);
        for (int i = 0; i < rows.length / 2; i++) {
            f.put("type_" + i, rows[2 * i]);
            f.put("value_" + i, rows[2 * i + 1]);
        }
        return f;
    }

    static String count(Http.Response r) {
        return r.html().select(".segment-count").text();
    }

    @Test
    void the_count_button_shows_how_many_people_match_without_javascript() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/segments/new");
        var r = organizer.post("/admin/segments", builder("count", "all", "attended_at_least", "2"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(count(r)).isEqualTo("1 person");
        assertThat(r.html().select(".segment-sample a").eachText()).containsExactly("Ana Seg");
        assertThat(count(organizer.post("/admin/segments", builder("count", "any",
                "signed_petition", "40", "pledged_event", "2")))).isEqualTo("2 people");
        assertThat(count(organizer.post("/admin/segments", builder("count", "all",
                "attended_event", "1", "postal_code", "90011, 90022, 90099")))).isEqualTo("2 people");
        assertThat(count(organizer.post("/admin/segments", builder("count", "all",
                "tag", "leader", "language", "es")))).isEqualTo("1 person");
    }

    @Test
    void a_bad_rule_value_is_shown_next_to_the_rule() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/segments/new");
        var r = organizer.post("/admin/segments", builder("count", "all", "joined_after", "last week"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-value_0-error").text()).isEqualTo("Enter a date as YYYY-MM-DD.");
        assertThat(r.html().select("#f-value_0").val()).isEqualTo("last week");
    }

    @Test
    void add_a_rule_adds_a_row_and_a_saved_segment_shows_its_rules_count_and_export() {
        Http organizer = app.signedIn("organizer");
        organizer.reauthenticate(TestApp.PASSWORD);  // exports ask for the password again
        organizer.page("/admin/segments/new");
        var more = organizer.post("/admin/segments", builder("add_rule", "all", "attended_event", "1"));
        assertThat(more.html().select("select[name=type_1]")).hasSize(1);
        var saved = organizer.post("/admin/segments", builder("save", "all", "attended_event", "1", "tag", ""));
        assertThat(saved.status()).isEqualTo(303);
        var page = organizer.page(saved.location());
        assertThat(page.html().select("h1").text()).isEqualTo("Regulars");
        assertThat(count(page)).isEqualTo("2 people");
        assertThat(page.html().select("#f-value_0").val()).isEqualTo("1");
        String csv = organizer.get(saved.location() + "/export.csv").body();
        assertThat(csv.lines().count()).isEqualTo(3);
        assertThat(csv).contains("seg.ana@example.org", "seg.beto@example.org");
    }
}
