package org.convoca.supporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.HashMap;
import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PeopleAdminTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static long person(String given, String family, String email, String phone) {
        return app.dsl().transactionResult(c -> PersonRepository.upsert(c.dsl(),
                new PersonInput(given, family, email, "90011", phone, "es", true, ""),
                Phones.normalize(phone, "US").orElse(""), new PersonRepository.Origin("petition:1", "form", null)).personId());
    }

    static Map<String, String> editForm(String email) {
        Map<String, String> f = new HashMap<>();
        f.put("given_name", "Maribel");
        f.put("family_name", "Cruz");
        f.put("email", email);
        f.put("email_status", "subscribed");
        f.put("phone", "(323) 555-0188");
        f.put("postal_code", "90022");
        f.put("language", "es");
        f.put("school", "Garfield High");
        f.put("custom_fields", "Grade: 10\nChildren: 2");
        return f;
    }

    @Test
    void an_organizer_finds_people_by_part_of_a_name_email_or_phone() {
        person("Guadalupe", "Ramírez", "lupe.r@example.org", "(213) 555-0101");
        person("Tomás", "Ortega", "tortega@example.net", "(213) 555-0102");
        Http organizer = app.signedIn("organizer");
        assertThat(organizer.get("/admin/people?q=lupe").html().select("table.people a").eachText()).containsExactly("Guadalupe Ramírez");
        assertThat(organizer.get("/admin/people?q=EXAMPLE.NET").html().select("table.people a").eachText()).containsExactly("Tomás Ortega");
        assertThat(organizer.get("/admin/people?q=555-0102").html().select("table.people a").eachText()).containsExactly("Tomás Ortega");
        assertThat(organizer.get("/admin/people?q=nobody-like-this").html().select(".people-count").text()).isEqualTo("No people");
    }

    @Test
    void the_person_page_shows_their_fields_and_timeline_newest_first() {
        long id = person("Ana", "Flores", "ana.flores@example.org", "");
        app.dsl().transaction(c -> {
            Activities.record(c.dsl(), id, "petition.signed", 7L, Map.of("title", "Counselors not cops"));
            Activities.record(c.dsl(), id, "event.attended", 3L, Map.of("title", "Healing circle"));
        });
        Http organizer = app.signedIn("organizer");
        var page = organizer.get("/admin/people/" + id).html();
        assertThat(page.select("h1").text()).isEqualTo("Ana Flores");
        assertThat(page.select(".person-fields").text()).contains("ana.flores@example.org", "Subscribed", "90011", "Spanish", "petition:1");
        assertThat(page.select(".timeline li").eachText().get(0)).contains("Attended an event: Healing circle");
        assertThat(page.select(".timeline li").eachText().get(1)).contains("Signed a petition: Counselors not cops");
    }

    @Test
    void editing_a_person_saves_the_fields_and_notes_the_change_and_the_consent() {
        long id = person("Maria", "", "maribel@example.org", "");
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/people/" + id + "/edit");
        Map<String, String> f = editForm("maribel@example.org");
        f.put("email_status", "unsubscribed");
        assertThat(organizer.post("/admin/people/" + id, f).status()).isEqualTo(303);
        var row = app.dsl().selectFrom(PEOPLE).where(PEOPLE.ID.eq(id)).fetchOne();
        assertThat(row.getGivenName()).isEqualTo("Maribel");
        assertThat(row.getPhone()).isEqualTo("+13235550188");
        assertThat(row.getSchool()).isEqualTo("Garfield High");
        assertThat(row.getEmailStatus()).isEqualTo("unsubscribed");
        assertThat(row.getCustomFields().data()).contains("\"Grade\": \"10\"");
        assertThat(app.dsl().fetchCount(CONSENTS, CONSENTS.PERSON_ID.eq(id).and(CONSENTS.GRANTED.isFalse()).and(CONSENTS.METHOD.eq("admin")))).isEqualTo(1);
        var timeline = organizer.get("/admin/people/" + id).html().select(".timeline li").eachText();
        assertThat(timeline).anyMatch(t -> t.contains("Edited by staff") && t.contains("given_name"));
        assertThat(timeline).anyMatch(t -> t.contains("Email preference changed"));
    }

    @Test
    void an_invalid_edit_is_shown_again_with_a_message_next_to_the_field_and_nothing_changes() {
        long id = person("Carmen", "", "carmen@example.org", "");
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/people/" + id + "/edit");
        Map<String, String> f = editForm("not an email");
        f.put("phone", "12");
        var r = organizer.post("/admin/people/" + id, f);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-email-error").text()).contains("name@example.org");
        assertThat(r.html().select("#f-phone").attr("aria-invalid")).isEqualTo("true");
        assertThat(r.html().select("#f-given_name").val()).isEqualTo("Maribel");
        assertThat(app.dsl().select(PEOPLE.GIVEN_NAME).from(PEOPLE).where(PEOPLE.ID.eq(id)).fetchOne().value1()).isEqualTo("Carmen");
    }

    @Test
    void erasing_a_person_removes_their_data_and_a_later_signup_does_not_bring_them_back() {
        long id = person("Lucía", "Mendoza", "lucia.m@example.org", "(213) 555-0177");
        app.dsl().transaction(c -> Activities.record(c.dsl(), id, "petition.signed", 9L, Map.of("title", "Fund the library")));
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/people/" + id);
        assertThat(organizer.post("/admin/people/" + id + "/erase", Map.of("confirm", "ERASE")).status()).isEqualTo(303);

        person("Lucía", "Mendoza", "Lucia.M@example.org", "(213) 555-0177");
        var row = app.dsl().selectFrom(PEOPLE).where(PEOPLE.ID.eq(id)).fetchOne();
        assertThat(row.getGivenName()).isEmpty();
        assertThat(row.getEmail()).isEmpty();
        assertThat(row.getPhone()).isEmpty();
        assertThat(row.getErasedAt()).isNotNull();
        assertThat(app.dsl().fetchCount(PEOPLE, PEOPLE.EMAIL_NORMALIZED.eq("lucia.m@example.org"))).isEqualTo(1);
        assertThat(app.dsl().fetchCount(ACTIVITIES, ACTIVITIES.PERSON_ID.eq(id).and(ACTIVITIES.KIND.eq("petition.signed"))))
                .as("the signature still counts").isEqualTo(1);
        assertThat(organizer.get("/admin/people?q=lucia").html().select(".people-count").text()).isEqualTo("No people");
    }

    @Test
    void an_admin_downloads_everything_held_about_a_person_as_json() {
        long id = person("Elena", "Vargas", "elena.v@example.org", "");
        Http admin = app.signedIn("admin");
        admin.reauthenticate(TestApp.PASSWORD);  // exports ask for the password again
        var r = admin.get("/admin/people/" + id + "/export.json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("email_addresses").path(0).path("address").asText()).isEqualTo("elena.v@example.org");
        assertThat(r.json().path("consents").path(0).path("granted").asBoolean()).isTrue();
        assertThat(app.signedIn("organizer").get("/admin/people/" + id + "/export.json").status()).isEqualTo(403);
    }

    @Test
    void tags_are_added_to_a_whole_search_result_and_removed_one_by_one() {
        long a = person("Rita", "Bulk", "rita.bulk@example.org", "");
        long b = person("Rosa", "Bulk", "rosa.bulk@example.org", "");
        person("Other", "Person", "other.person@example.org", "");
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/people?q=bulk");
        var r = organizer.post("/admin/people/bulk-tags", Map.of("q", "bulk", "tag", "", "list", "", "tag_name", "Parent College", "action", "add"));
        assertThat(r.status()).isEqualTo(303);
        assertThat(organizer.get("/admin/people?tag=parent+college").html().select("table.people a").eachText())
                .containsExactlyInAnyOrder("Rita Bulk", "Rosa Bulk");
        organizer.page("/admin/people/" + a);
        organizer.post("/admin/people/" + a + "/tags/remove", Map.of("tag", "Parent College"));
        assertThat(organizer.get("/admin/people?tag=Parent%20College").html().select("table.people a").eachText()).containsExactly("Rosa Bulk");
        var timeline = organizer.get("/admin/people/" + a).html().select(".timeline li").eachText();
        assertThat(timeline.get(0)).contains("Tag removed: Parent College");
        assertThat(timeline.get(1)).contains("Tag added: Parent College");
        assertThat(b).isNotZero();
    }

    @Test
    void a_search_is_added_to_a_static_list_and_the_list_exports_as_csv_without_formulas() {
        person("=HYPERLINK(\"x\")", "Lista", "lista1@example.org", "");
        person("Beto", "Lista", "lista2@example.org", "");
        Http organizer = app.signedIn("organizer");
        organizer.reauthenticate(TestApp.PASSWORD);  // exports ask for the password again
        organizer.page("/admin/lists");
        var created = organizer.post("/admin/lists", Map.of("name", "Garfield parents", "description", ""));
        assertThat(created.status()).isEqualTo(303);
        String listUrl = created.location();
        organizer.page("/admin/people?q=lista");
        organizer.post("/admin/lists/add-search", Map.of("q", "lista", "tag", "", "list", "", "target_list", listUrl.replaceAll("\\D", "")));
        assertThat(organizer.get(listUrl).html().select(".people-count").text()).isEqualTo("2 people");
        String csv = organizer.get(listUrl + "/export.csv").body();
        assertThat(csv).startsWith("id,given_name,family_name,email");
        assertThat(csv).contains("'=HYPERLINK").doesNotContain(",=HYPERLINK");
        assertThat(csv).contains("lista2@example.org");
    }

    @Test
    void an_empty_list_name_is_refused_with_a_message() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/lists");
        var r = organizer.post("/admin/lists", Map.of("name", " ", "description", ""));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-name-error").text()).isEqualTo("This field is required.");
    }

    @Test
    void people_pages_are_closed_to_leaders() {
        assertThat(app.signedIn("leader").get("/admin/people").status()).isEqualTo(403);
    }
}
