package org.convoca.supporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The leadership ladder on the person page and as a segment filter; letters count as a first step. */
class LadderSegmentTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static long person(String email) {
        return app.dsl().transactionResult(cfg -> PersonRepository.upsert(cfg.dsl(),
                new PersonInput("P", "", email, "", "", "", false, ""), "", new PersonRepository.Origin("test", "form", null)).personId());
    }

    @Test
    void a_letter_writer_and_a_signer_are_on_the_first_rung_and_a_segment_finds_them() {
        long writer = person("writer-" + System.nanoTime() + "@example.org");
        long signer = person("signer-" + System.nanoTime() + "@example.org");
        long quiet = person("quiet-" + System.nanoTime() + "@example.org");
        app.dsl().transaction(cfg -> {
            Activities.record(cfg.dsl(), writer, "letter.sent", 1L, Map.of());
            Activities.record(cfg.dsl(), signer, "petition.signed", 1L, Map.of());
        });
        var inSegment = app.dsl().select(PEOPLE.ID).from(PEOPLE)
                .where(SegmentCompiler.compile(new SegmentFilter.LadderAtLeast("signed")))
                .fetch(PEOPLE.ID);
        assertThat(inSegment).contains(writer, signer).doesNotContain(quiet);
        assertThat(SegmentCompiler.validate(new SegmentFilter.LadderAtLeast("astronaut"))).isNotEmpty();

        Http organizer = app.signedIn("organizer");
        assertThat(organizer.get("/admin/people/" + writer).html().select("dd").eachText()).contains("Signed");
        assertThat(organizer.get("/admin/people/" + quiet).html().select("dd").eachText()).contains("Not yet active");
    }
}
