package org.convoca.supporter.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.PEOPLE;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.convoca.supporter.PersonEdits;
import org.convoca.supporter.PersonInput;
import org.convoca.supporter.PersonRepository;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImportTest {
    static TestApp app;
    static String token;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
        token = app.apiKey(app.createUser("importer@example.org", "organizer"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static JsonNode importCsv(byte[] csv, String query) {
        var r = app.http().raw("POST", "/api/v1/imports" + query, token, "text/csv", csv);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().path("status").asText()).isEqualTo("running");
        return awaitDone(r.json().path("identifiers").path(0).asText().substring("convoca:".length()));
    }

    /** Waits for the background worker to finish the import (a condition, not a fixed sleep). */
    static JsonNode awaitDone(String id) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            JsonNode imp = app.http().json("GET", "/api/v1/imports/" + id, token, null).json();
            if (!imp.path("status").asText().equals("running")) return imp;
            app.app.importWorker().drain();
            Thread.onSpinWait();
        }
        throw new AssertionError("import " + id + " did not finish");
    }

    static org.convoca.db.schema.tables.records.PeopleRecord person(String email) {
        return app.dsl().selectFrom(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq(email)).fetchOne();
    }

    @Test
    void an_api_import_creates_people_tags_them_and_reports_bad_rows_by_number() {
        String csv = "First Name,Last Name,Email,Phone,Zip,School,Grade\n"
                + "Ana,Reyes,ana.reyes@example.org,(213) 555-0199,90011,Garfield High,3\n"
                + "Bad,Email,not-an-email,,90011,,\n"
                + "Bad,Phone,bad.phone@example.org,12,90011,,\n"
                + "\"Luis, Jr.\",Soto,LUIS.SOTO@example.org,,90022,Roosevelt,5\n";
        JsonNode imp = importCsv(csv.getBytes(StandardCharsets.UTF_8), "?tag=Roster%202026");
        assertThat(imp.path("status").asText()).isEqualTo("done");
        assertThat(imp.path("total_rows").asInt()).isEqualTo(4);
        assertThat(imp.path("created").asInt()).isEqualTo(2);
        assertThat(imp.path("skipped").asInt()).isEqualTo(2);
        assertThat(imp.path("errors").findValuesAsText("message"))
                .containsExactly("The email address is not valid", "The phone number is not valid");
        assertThat(imp.path("errors").findValues("row").stream().map(JsonNode::asInt)).containsExactly(3, 4);
        var ana = person("ana.reyes@example.org");
        assertThat(ana.getPhone()).isEqualTo("+12135550199");
        assertThat(ana.getSchool()).isEqualTo("Garfield High");
        assertThat(ana.getCustomFields().data()).contains("\"Grade\": \"3\"");
        assertThat(person("luis.soto@example.org").getGivenName()).isEqualTo("Luis, Jr.");
        var tagged = app.http().json("GET", "/api/v1/people?tag=Roster%202026", token, null).json();
        assertThat(tagged.path("total_records").asInt()).isEqualTo(2);
    }

    @Test
    void importing_the_same_file_twice_changes_nothing_the_second_time() {
        byte[] csv = ("email,first_name,zip_code\ntwice1@example.org,Uno,90001\ntwice2@example.org,Dos,90002\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(importCsv(csv, "?tag=Twice").path("created").asInt()).isEqualTo(2);
        var before = person("twice1@example.org").getUpdatedAt();
        JsonNode second = importCsv(csv, "?tag=Twice");
        assertThat(second.path("created").asInt()).isZero();
        assertThat(second.path("updated").asInt()).isZero();
        assertThat(second.path("skipped").asInt()).isEqualTo(2);
        assertThat(person("twice1@example.org").getUpdatedAt()).isEqualTo(before);
    }

    @Test
    void an_import_merges_by_email_without_blanking_what_is_stored() {
        app.dsl().transaction(c -> PersonRepository.upsert(c.dsl(),
                new PersonInput("Marta", "Gil", "marta.gil@example.org", "90033", "(213) 555-0150", "es", false, ""),
                "+12135550150", new PersonRepository.Origin("test", "form", null)));
        JsonNode imp = importCsv("Email,Name,Phone,School\nMarta.Gil@example.org,,,Lincoln Elementary\n"
                .getBytes(StandardCharsets.UTF_8), "");
        assertThat(imp.path("updated").asInt()).isEqualTo(1);
        var marta = person("marta.gil@example.org");
        assertThat(marta.getGivenName()).isEqualTo("Marta");
        assertThat(marta.getPhone()).isEqualTo("+12135550150");
        assertThat(marta.getSchool()).isEqualTo("Lincoln Elementary");
        assertThat(marta.getLanguage()).isEqualTo("es");
    }

    static long count(org.jooq.Table<?> table, org.jooq.Condition where) {
        return app.dsl().fetchCount(table, where);
    }

    @Test
    void new_people_show_the_import_on_their_timeline_and_changed_people_get_a_stored_entry_and_a_tag_entry() {
        app.dsl().transaction(c -> PersonRepository.upsert(c.dsl(),
                new PersonInput("Rosa", "Paz", "rosa.paz@example.org", "90033", "", "es", false, ""),
                "", new PersonRepository.Origin("test", "form", null)));
        JsonNode imp = importCsv(("email,first_name,school\nnuevo.padre@example.org,Nuevo,Garfield High\n"
                + "rosa.paz@example.org,,Lincoln Elementary\n").getBytes(StandardCharsets.UTF_8), "?tag=Timeline%20Fall");
        assertThat(imp.path("created").asInt()).isEqualTo(1);
        assertThat(imp.path("updated").asInt()).isEqualTo(1);
        long importId = Long.parseLong(imp.path("identifiers").path(0).asText().substring("convoca:".length()));
        var directory = new org.convoca.supporter.PeopleDirectory(app.dsl());
        var created = person("nuevo.padre@example.org");
        var entry = directory.timeline(created.getId(), 200).stream().filter(a -> a.kind().equals("person.imported")).toList();
        assertThat(entry).hasSize(1);
        assertThat(entry.get(0).subjectId()).isEqualTo(importId);
        assertThat(entry.get(0).details()).containsEntry("tag", "Timeline Fall").containsEntry("file", "api").containsEntry("created", true);
        // Shown from people.source, not stored: the saving an import of a million new people relies on.
        assertThat(count(ACTIVITIES, ACTIVITIES.PERSON_ID.eq(created.getId()))).isZero();
        Http organizer = app.signedIn("organizer");
        assertThat(organizer.page("/admin/people/" + created.getId()).html().text()).contains("Imported from a file");

        var rosa = person("rosa.paz@example.org");
        assertThat(rosa.getSchool()).isEqualTo("Lincoln Elementary");
        assertThat(directory.timeline(rosa.getId(), 200)).extracting(a -> a.kind()).contains("person.imported", "tag.added");
        assertThat(count(ACTIVITIES, ACTIVITIES.PERSON_ID.eq(rosa.getId()).and(ACTIVITIES.KIND.eq("person.imported"))
                .and(ACTIVITIES.SUBJECT_ID.eq(importId)))).isEqualTo(1);
        var tagged = app.http().json("GET", "/api/v1/people?tag=Timeline%20Fall", token, null).json();
        assertThat(tagged.path("total_records").asInt()).isEqualTo(2);
    }

    @Test
    void opt_ins_and_row_tags_are_recorded_for_each_new_and_existing_person_and_a_repeated_address_keeps_both_rows_tags() {
        app.dsl().transaction(c -> PersonRepository.upsert(c.dsl(),
                new PersonInput("Old", "Optin", "old.optin@example.org", "", "", "", false, ""),
                "", new PersonRepository.Origin("test", "form", null)));
        String csv = "email,first_name,email opt in,tags\n"
                + "new.optin@example.org,New,yes,Volunteers\n"
                + "new.optout@example.org,Out,no,Parents\n"
                + "old.optin@example.org,,yes,Volunteers; Parents\n"
                + "new.optout@example.org,Out,no,Drivers\n";
        JsonNode imp = importCsv(csv.getBytes(StandardCharsets.UTF_8), "");
        assertThat(imp.path("created").asInt()).isEqualTo(2);
        assertThat(imp.path("updated").asInt()).isEqualTo(1);
        for (String email : new String[] {"new.optin@example.org", "old.optin@example.org"}) {
            var p = person(email);
            assertThat(p.getEmailStatus()).as(email).isEqualTo("subscribed");
            assertThat(count(CONSENTS, CONSENTS.PERSON_ID.eq(p.getId()).and(CONSENTS.METHOD.eq("import"))
                    .and(CONSENTS.GRANTED.isTrue()))).as(email).isEqualTo(1);
        }
        var out = person("new.optout@example.org");
        assertThat(out.getEmailStatus()).isEqualTo("unsubscribed");
        assertThat(count(CONSENTS, CONSENTS.PERSON_ID.eq(out.getId()))).isZero();
        assertThat(tags("new.optout@example.org")).containsExactly("Drivers", "Parents");
        assertThat(tags("new.optin@example.org")).containsExactly("Volunteers");
        assertThat(tags("old.optin@example.org")).containsExactly("Parents", "Volunteers");

        JsonNode again = importCsv(csv.getBytes(StandardCharsets.UTF_8), "");
        assertThat(again.path("created").asInt()).isZero();
        assertThat(again.path("updated").asInt()).isZero();
        assertThat(count(CONSENTS, CONSENTS.PERSON_ID.eq(person("old.optin@example.org").getId()))).isEqualTo(1);
        assertThat(count(ACTIVITIES, ACTIVITIES.PERSON_ID.eq(person("old.optin@example.org").getId())
                .and(ACTIVITIES.KIND.eq("tag.added")))).isEqualTo(2);
    }

    static java.util.List<String> tags(String email) {
        var t = org.convoca.db.schema.Tables.TAGS;
        var pt = org.convoca.db.schema.Tables.PERSON_TAGS;
        return app.dsl().select(t.NAME).from(pt).join(t).on(t.ID.eq(pt.TAG_ID)).join(PEOPLE).on(PEOPLE.ID.eq(pt.PERSON_ID))
                .where(PEOPLE.EMAIL_NORMALIZED.eq(email)).orderBy(t.NAME).fetch(t.NAME);
    }

    @Test
    void a_semicolon_separated_windows_1252_excel_file_in_spanish_is_read_correctly() {
        String csv = "Nombre;Apellido;Correo electrónico;Teléfono;Código postal;Idioma\r\n"
                + "José;Núñez;jose.nunez@example.org;213-555-0111;90011;Español\r\n";
        JsonNode imp = importCsv(csv.getBytes(Charset.forName("windows-1252")), "");
        assertThat(imp.path("created").asInt()).isEqualTo(1);
        var jose = person("jose.nunez@example.org");
        assertThat(jose.getGivenName()).isEqualTo("José");
        assertThat(jose.getFamilyName()).isEqualTo("Núñez");
        assertThat(jose.getPhone()).isEqualTo("+12135550111");
        assertThat(jose.getLanguage()).isEqualTo("es");
    }

    @Test
    void a_utf8_file_with_a_byte_order_mark_from_google_forms_is_read_correctly() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = ("Timestamp,Email Address,Your name,What school does your child attend?\n"
                + "2026/11/01 10:00:00,renata@example.org,Renata Ávila,Garfield High\n").getBytes(StandardCharsets.UTF_8);
        byte[] csv = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, csv, 0, 3);
        System.arraycopy(body, 0, csv, 3, body.length);
        assertThat(importCsv(csv, "").path("created").asInt()).isEqualTo(1);
        var renata = person("renata@example.org");
        assertThat(renata.getFamilyName()).isEqualTo("Ávila");
        assertThat(renata.getSchool()).isEqualTo("Garfield High");
    }

    @Test
    void an_erased_person_is_not_brought_back_by_an_import() {
        long id = app.dsl().transactionResult(c -> PersonRepository.upsert(c.dsl(),
                new PersonInput("Gone", "Person", "gone@example.org", "", "", "", false, ""), "",
                new PersonRepository.Origin("test", "form", null)).personId());
        new PersonEdits(app.dsl()).erase(id, "test");
        JsonNode imp = importCsv("email,first_name\ngone@example.org,Gone\n".getBytes(StandardCharsets.UTF_8), "?tag=Back");
        assertThat(imp.path("created").asInt()).isZero();
        assertThat(person("gone@example.org").getGivenName()).isEmpty();
        assertThat(app.http().json("GET", "/api/v1/people?tag=Back", token, null).json().path("total_records").asInt()).isZero();
    }

    @Test
    void a_file_without_an_email_column_is_refused_with_a_problem() {
        var r = app.http().raw("POST", "/api/v1/imports", token, "text/csv", "name,zip\nAna,90011\n".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().path("errors").path(0).path("message").asText()).contains("email");
    }

    @Test
    void an_organizer_uploads_previews_maps_columns_and_sees_the_result() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/imports");
        var uploaded = organizer.postFile("/admin/imports", "file", "roster.csv",
                "Parent,Correo,Colegio\nPaula Ríos,paula.rios@example.org,Garfield High\nx,bad,\n".getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.status()).isEqualTo(303);
        var preview = organizer.page(uploaded.location());
        assertThat(preview.html().select(".import-preview tbody td").eachText()).contains("Paula Ríos", "paula.rios@example.org");
        assertThat(preview.html().select("#f-column_1 option[selected]").val()).isEqualTo("email");
        var started = organizer.post(uploaded.location() + "/start", Map.of("column_0", "full_name", "column_1", "email",
                "column_2", "school", "tag", "Roster"));
        assertThat(started.status()).isEqualTo(303);
        awaitDone(uploaded.location().replaceAll("\\D", ""));
        var done = organizer.get(uploaded.location()).html();
        assertThat(done.select(".import-counts").text()).contains("New people 1");
        assertThat(done.select(".import-errors td").eachText()).containsExactly("3", "The email address is not valid");
        String errors = organizer.get(uploaded.location() + "/errors.csv").body();
        assertThat(errors).contains("row,message", "3,The email address is not valid");
        assertThat(person("paula.rios@example.org").getFamilyName()).isEqualTo("Ríos");
    }

    @Test
    void an_import_that_keeps_stopping_its_worker_is_reported_failed_instead_of_retried_forever() throws Exception {
        var imports = new Imports(app.dsl(), app.app.importWorker());
        long id = imports.upload(new java.io.ByteArrayInputStream("email\nloop@example.org\n".getBytes(StandardCharsets.UTF_8)),
                "loop.csv", "", null, false).id();
        // Queued as if five workers had claimed it and died: whichever worker claims it next gives up.
        var imports_ = org.convoca.db.schema.Tables.IMPORTS;
        app.dsl().update(imports_).set(imports_.ATTEMPTS, ImportWorker.MAX_ATTEMPTS).set(imports_.STATUS, "running")
                .where(imports_.ID.eq(id)).execute();
        JsonNode imp = awaitDone(String.valueOf(id));
        assertThat(imp.path("status").asText()).isEqualTo("failed");
        assertThat(imp.path("failure").asText()).contains("interrupted 5 times");
        assertThat(person("loop@example.org")).isNull();
    }
}
