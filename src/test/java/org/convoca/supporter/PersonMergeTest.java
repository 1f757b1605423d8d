package org.convoca.supporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.LIST_MEMBERS;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PersonMergeTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static long person(String given, String email, String phone, String ref) {
        return app.dsl().transactionResult(c -> PersonRepository.upsert(c.dsl(),
                new PersonInput(given, "", email, "", phone, "", true, ref), Phones.normalize(phone, "US").orElse(""),
                new PersonRepository.Origin("test", "form", null)).personId());
    }

    @Test
    void merging_moves_activity_consents_tags_lists_and_recruits_and_fills_blank_fields() {
        long keep = person("Rosa", "rosa.m@example.org", "", "");
        long drop = person("", "rosita@example.org", "(213) 555-0166", "");
        String dropCode = app.dsl().select(PEOPLE.REFERRAL_CODE).from(PEOPLE).where(PEOPLE.ID.eq(drop)).fetchOne().value1();
        long recruit = person("Recruit", "recruit.m@example.org", "", dropCode);
        long listId = new ListRepository(app.dsl()).create("Garfield", "");
        new ListRepository(app.dsl()).addAll(listId, PEOPLE.ID.in(keep, drop));
        app.dsl().transaction(c -> {
            Activities.record(c.dsl(), drop, "petition.signed", 5L, Map.of("title", "Library"));
            Activities.record(c.dsl(), drop, "event.attended", 2L, Map.of());
            TagRepository.add(c.dsl(), keep, "Leader");
            TagRepository.add(c.dsl(), drop, "Leader");
            TagRepository.add(c.dsl(), drop, "Volunteer");
        });
        int activitiesBefore = app.dsl().fetchCount(ACTIVITIES, ACTIVITIES.PERSON_ID.in(keep, drop));

        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/people/" + keep);
        assertThat(organizer.post("/admin/people/" + keep + "/merge", Map.of("duplicate", "ROSITA@example.org")).status()).isEqualTo(303);

        assertThat(app.dsl().fetchCount(PEOPLE, PEOPLE.ID.eq(drop))).isZero();
        assertThat(app.dsl().fetchCount(ACTIVITIES, ACTIVITIES.PERSON_ID.eq(keep)))
                .as("every activity moved, plus the merge itself").isEqualTo(activitiesBefore + 1);
        assertThat(app.dsl().fetchCount(CONSENTS, CONSENTS.PERSON_ID.eq(keep))).isEqualTo(2);
        assertThat(app.dsl().fetchCount(PERSON_TAGS, PERSON_TAGS.PERSON_ID.eq(keep))).isEqualTo(2);
        assertThat(app.dsl().fetchCount(LIST_MEMBERS, LIST_MEMBERS.PERSON_ID.eq(keep))).isEqualTo(1);
        var kept = app.dsl().selectFrom(PEOPLE).where(PEOPLE.ID.eq(keep)).fetchOne();
        assertThat(kept.getPhone()).isEqualTo("+12135550166");
        assertThat(kept.getCustomFields().data()).contains("rosita@example.org");
        assertThat(app.dsl().select(PEOPLE.RECRUITED_BY).from(PEOPLE).where(PEOPLE.ID.eq(recruit)).fetchOne().value1()).isEqualTo(keep);
        var timeline = organizer.get("/admin/people/" + keep).html().select(".timeline li").eachText();
        assertThat(timeline.get(0)).contains("Merged with a duplicate record");
        assertThat(timeline).anyMatch(t -> t.contains("Signed a petition: Library"));
    }

    @Test
    void merging_away_a_person_an_import_created_keeps_the_imported_entry_on_the_person_kept() {
        long keep = person("Kept", "kept.m@example.org", "", "");
        var imports = new org.convoca.supporter.imports.Imports(app.dsl(), app.app.importWorker());
        try {
            long importId = imports.upload(new java.io.ByteArrayInputStream("email,first_name\nimported.m@example.org,Imp\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)), "roster.csv", "Roster M", null, true).id();
            while (imports.repository().find(importId).orElseThrow().status() == org.convoca.supporter.imports.ImportStatus.RUNNING) {
                app.app.importWorker().drain();
            }
            long drop = app.dsl().select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("imported.m@example.org")).fetchSingle().value1();
            new PersonMerge(app.dsl()).merge(keep, drop, "test");
            var entries = new PeopleDirectory(app.dsl()).timeline(keep, 200).stream()
                    .filter(a -> a.kind().equals("person.imported")).toList();
            assertThat(entries).hasSize(1);
            assertThat(entries.get(0).subjectId()).isEqualTo(importId);
            assertThat(entries.get(0).details()).containsEntry("file", "roster.csv").containsEntry("tag", "Roster M");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void merging_a_person_with_themselves_or_an_unknown_address_changes_nothing() {
        long keep = person("Solo", "solo@example.org", "", "");
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/people/" + keep);
        organizer.post("/admin/people/" + keep + "/merge", Map.of("duplicate", "solo@example.org"));
        organizer.post("/admin/people/" + keep + "/merge", Map.of("duplicate", "nobody-here@example.org"));
        assertThat(app.dsl().fetchCount(PEOPLE, PEOPLE.ID.eq(keep))).isEqualTo(1);
        assertThat(organizer.get("/admin/people/" + keep).html().select(".timeline li").eachText())
                .noneMatch(t -> t.contains("Merged"));
    }
}
