package org.convoca.supporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.ADVOCACY_CAMPAIGNS;
import static org.convoca.db.schema.Tables.OUTBOX;
import static org.convoca.db.schema.Tables.OUTBOX_BODIES;
import static org.convoca.db.schema.Tables.OUTREACHES;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.time.OffsetDateTime;
import org.convoca.testsupport.TestApp;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Erasing a person also removes the copies of their words other features hold, and keeps the counts. */
class ErasureTest {
    static TestApp app;
    static String token;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        token = app.apiKey(app.createUser("erase-organizer@example.org", "admin"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void erasing_a_signer_blanks_their_comment_and_queued_mail_but_the_petition_keeps_its_count() {
        long campaign = campaign("erase");
        long petition = petition(campaign, "erase-p");
        var signed = app.http().json("POST", "/api/v1/petitions/" + petition + "/signatures", token, """
                {"person": {"given_name": "Rosa", "family_name": "Quintero",
                 "email_addresses": [{"address": "Rosa.Q@example.org"}]},
                 "comments": "My son Mateo at Garfield has no counselor"}""");
        assertThat(signed.status()).isEqualTo(201);
        long personId = app.dsl().select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("rosa.q@example.org"))
                .fetchOne(PEOPLE.ID);
        long outreach = unconfirmedLetterFrom("rosa.q@example.org", campaign);

        assertThat(app.http().json("DELETE", "/api/v1/people/" + personId, token, null).status()).isEqualTo(200);

        var signature = app.dsl().selectFrom(SIGNATURES).where(SIGNATURES.PERSON_ID.eq(personId)).fetchOne();
        assertThat(signature.getComments()).isEmpty();
        assertThat(signature.getPublicDisplay()).isFalse();
        assertThat(signature.getIpHash()).isNull();
        assertThat(app.http().json("GET", "/api/v1/petitions/" + petition, token, null).json().path("total_signatures").asInt())
                .as("the signature still counts").isEqualTo(1);
        var letter = app.dsl().selectFrom(OUTREACHES).where(OUTREACHES.ID.eq(outreach)).fetchOne();
        assertThat(letter.getEmail() + letter.getGivenName() + letter.getStory() + letter.getBody()).isEmpty();
        assertThat(app.dsl().fetchCount(OUTBOX, DSL.lower(OUTBOX.TO_ADDRESS).eq("rosa.q@example.org")))
                .as("no mail addressed to them is left").isZero();
        assertThat(app.dsl().fetchCount(OUTBOX, OUTBOX.TEXT_BODY.contains("Rosa"))).isZero();
        // The thank-you was queued as a shared body and the signer's values: the values go too.
        assertThat(app.dsl().fetchCount(OUTBOX, OUTBOX.FILLS.cast(String.class).contains("Rosa"))).isZero();
        assertThat(app.dsl().fetchCount(OUTBOX_BODIES, OUTBOX_BODIES.TEXT_BODY.contains("Rosa"))).as("no shared body names them").isZero();
        assertThat(new org.convoca.mail.Outbox(app.dsl()).recent(100, 0)).noneMatch(m -> m.textBody().contains("Rosa"));
        assertThat(app.dsl().fetchCount(OUTBOX, OUTBOX.STATUS.in("queued", "sending").and(OUTBOX.TO_ADDRESS.eq("erased"))))
                .as("nothing erased is still waiting to go out").isZero();
    }

    @Test
    void the_export_of_a_person_includes_what_they_wrote_on_a_petition() {
        long petition = petition(campaign("export"), "export-p");
        app.http().json("POST", "/api/v1/petitions/" + petition + "/signatures", token, """
                {"person": {"given_name": "Inés", "family_name": "Soto", "email_addresses": [{"address": "ines.export@example.org"}]},
                 "comments": "The corner of 5th and Main is dangerous"}""");
        long personId = app.dsl().select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("ines.export@example.org"))
                .fetchOne(PEOPLE.ID);
        var admin = app.signedIn("admin");
        admin.reauthenticate(TestApp.PASSWORD);
        var export = admin.get("/admin/people/" + personId + "/export.json").json();
        assertThat(export.path("signatures").path(0).path("petition_id").asLong()).isEqualTo(petition);
        assertThat(export.path("signatures").path(0).path("comments").asText()).isEqualTo("The corner of 5th and Main is dangerous");
        assertThat(export.path("pledges").isArray()).isTrue();
        assertThat(export.path("letters").isArray()).isTrue();
    }

    private static long campaign(String slug) {
        return app.http().json("POST", "/api/v1/campaigns", token,
                "{\"title\": \"C\", \"slug\": \"%s\", \"status\": \"live\"}".formatted(slug)).json().path("id").asLong();
    }

    private static long petition(long campaign, String slug) {
        return app.http().json("POST", "/api/v1/petitions", token, """
                {"campaign_id": %d, "title": "Fund counselors", "slug": "%s", "status": "open",
                 "petition_text": "Fund a counselor.", "target": [{"name": "Board"}]}""".formatted(campaign, slug))
                .json().path("id").asLong();
    }

    /** A letter form submitted but never confirmed: only the address links it to the person. */
    private static long unconfirmedLetterFrom(String email, long campaign) {
        long action = app.dsl().insertInto(ADVOCACY_CAMPAIGNS).set(ADVOCACY_CAMPAIGNS.CAMPAIGN_ID, campaign)
                .set(ADVOCACY_CAMPAIGNS.TITLE, "Write the board").set(ADVOCACY_CAMPAIGNS.SUBJECT, "Counselors")
                .set(ADVOCACY_CAMPAIGNS.BODY, "Dear board").returning(ADVOCACY_CAMPAIGNS.ID).fetchOne().getId();
        return app.dsl().insertInto(OUTREACHES).set(OUTREACHES.ADVOCACY_CAMPAIGN_ID, action)
                .set(OUTREACHES.GIVEN_NAME, "Rosa").set(OUTREACHES.EMAIL, email).set(OUTREACHES.STORY, "Mateo cries every morning")
                .set(OUTREACHES.SUBJECT, "Counselors").set(OUTREACHES.BODY, "Dear board, I am Rosa")
                .set(OUTREACHES.TARGET_IDS, new Long[0]).set(OUTREACHES.TOKEN_HASH, "erasure-test-token")
                .set(OUTREACHES.EXPIRES_AT, OffsetDateTime.now().plusDays(1)).returning(OUTREACHES.ID).fetchOne().getId();
    }
}
