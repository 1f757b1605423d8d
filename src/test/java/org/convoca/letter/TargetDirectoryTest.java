package org.convoca.letter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.TARGETS;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TargetDirectoryTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static Map<String, String> form(String family, String email) {
        Map<String, String> f = new HashMap<>();
        f.put("given_name", "Ana");
        f.put("family_name", family);
        f.put("title", "Board Member, District 2");
        f.put("body", "LAUSD Board of Education");
        f.put("email", email);
        f.put("district", "District 2");
        f.put("schools", "Garfield High\nRoosevelt High\n");
        f.put("postal_codes", "90033; 90063");
        return f;
    }

    @Test
    void an_organizer_adds_a_decision_maker_with_the_schools_they_represent() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/targets/new");
        assertThat(organizer.post("/admin/targets", form("Ruiz", "ruiz@board.example")).status()).isEqualTo(303);

        var list = organizer.page("/admin/targets").html();
        assertThat(list.select("table.targets").text()).contains("Ana Ruiz").contains("District 2");
        var row = app.dsl().selectFrom(TARGETS).where(TARGETS.EMAIL_NORMALIZED.eq("ruiz@board.example")).fetchOne();
        assertThat(row.getSchools()).containsExactly("Garfield High", "Roosevelt High");
        assertThat(row.getPostalCodes()).containsExactly("90033", "90063");
    }

    @Test
    void a_name_with_a_line_break_is_refused_next_to_the_field() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/targets/new");
        Map<String, String> f = form("Ruiz\r\nBcc: everyone@example.org", "crlf@board.example");
        Http.Response r = organizer.post("/admin/targets", f);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-family_name-error").text()).contains("one line");
        assertThat(r.html().select("#f-email").val()).isEqualTo("crlf@board.example");
    }

    @Test
    void retiring_keeps_the_decision_maker_in_the_list_marked_retired() {
        Target t = new TargetRepository(app.dsl()).create(new TargetForm("Old", "Member", "", "", "old@board.example", "", "", ""));
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/targets/" + t.id() + "/edit");
        assertThat(organizer.post("/admin/targets/" + t.id() + "/retire", Map.of("retired", "true")).status()).isEqualTo(303);
        var list = organizer.page("/admin/targets").html();
        assertThat(list.select("tr.retired").text()).contains("Old Member");
        assertThat(new TargetRepository(app.dsl()).active()).noneMatch(x -> x.id() == t.id());
    }

    @Test
    void a_csv_import_adds_new_rows_updates_known_emails_and_reports_bad_rows_by_line() {
        new TargetRepository(app.dsl()).create(new TargetForm("Luis", "Mora", "", "", "mora@import.example", "", "", ""));
        String csv = "given_name,family_name,title,body,email,district,schools,postal_codes\n"
                + "Rosa,Lima,Board Member,LAUSD,lima@import.example,District 1,\"Belmont High;Castle Heights\",90057\n"
                + "Luis,Mora,President,LAUSD,MORA@import.example,District 4,Venice High,90291\n"
                + "No,Email,,,,,,\n";
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/targets/import");
        Http.Response r = organizer.post("/admin/targets/import", Map.of("csv", csv));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.html().select(".notice").text()).isEqualTo("Added 1, updated 1, rows with problems: 1.");
        assertThat(r.html().select(".error-summary li").text()).contains("Line 4").contains("required");
        var mora = app.dsl().selectFrom(TARGETS).where(TARGETS.EMAIL_NORMALIZED.eq("mora@import.example")).fetchOne();
        assertThat(mora.getTitle()).isEqualTo("President");
        assertThat(mora.getSchools()).containsExactly("Venice High");
        var lima = app.dsl().selectFrom(TARGETS).where(TARGETS.EMAIL_NORMALIZED.eq("lima@import.example")).fetchOne();
        assertThat(lima.getSchools()).containsExactly("Belmont High", "Castle Heights");
    }

    @Test
    void a_csv_without_an_email_column_imports_nothing_and_says_why() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/targets/import");
        Http.Response r = organizer.post("/admin/targets/import", Map.of("csv", "name,school\nAna,Garfield\n"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select(".error-summary").text()).contains("including email");
    }

    @Test
    void the_api_creates_reads_updates_and_lists_targets() {
        String key = app.apiKey(app.createUser("api-targets@example.org", "organizer"));
        Http http = app.http();
        Http.Response created = http.json("POST", "/api/v1/targets", key, """
                {"given_name":"Eva","family_name":"Paz","title":"Board Member","email":"paz@api.example",
                 "district":"District 6","schools":["Van Nuys High"],"postal_codes":["91401"]}""");
        assertThat(created.status()).isEqualTo(201);
        JsonNode t = created.json();
        assertThat(t.path("identifiers").get(0).asText()).startsWith("convoca:");
        assertThat(t.path("schools").get(0).asText()).isEqualTo("Van Nuys High");

        String path = "/api/v1/targets/" + t.path("id").asLong();
        Http.Response updated = http.json("PUT", path, key, "{\"title\":\"President\",\"retired\":true}");
        assertThat(updated.json().path("title").asText()).isEqualTo("President");
        assertThat(updated.json().path("retired").asBoolean()).isTrue();
        assertThat(updated.json().path("postal_codes").get(0).asText()).isEqualTo("91401");
        assertThat(http.json("GET", path, key, null).json().path("family_name").asText()).isEqualTo("Paz");
        assertThat(http.json("GET", "/api/v1/targets", key, null).json().path("_embedded").path("osdi:targets").size()).isPositive();

        Http.Response bad = http.json("POST", "/api/v1/targets", key, "{\"family_name\":\"X\",\"email\":\"not an email\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("errors").get(0).path("field").asText()).isEqualTo("email");
        assertThat(http.json("POST", "/api/v1/targets", key, "{\"family_name\":\"Dup\",\"email\":\"PAZ@api.example\"}").status()).isEqualTo(409);
    }

    @Test
    void a_leader_cannot_open_the_directory() {
        assertThat(app.signedIn("leader").get("/admin/targets").status()).isEqualTo(403);
    }
}
