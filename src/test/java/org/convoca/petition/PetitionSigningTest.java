package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PetitionSigningTest {
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
    void a_parent_signs_and_the_page_counts_them_and_shows_their_short_name() {
        long id = PetitionFixtures.id(fx.openPetition("sign-once"));
        Http parent = app.http();
        var page = parent.get("/p/sign-once").html();
        assertThat(page.select("h1").text()).isEqualTo("Counselors in every school");
        assertThat(page.select("meta[property=og:title]").attr("content")).isEqualTo("Counselors in every school");
        assertThat(page.select("form.sign-form input[name=given_name]")).hasSize(1);

        Http.Response r = parent.postRaw("/p/sign-once/sign", fx.signer(id, "Ana", "Rodríguez", "ana@example.org"));
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.location()).contains("/p/sign-once/thanks?result=signed");
        assertThat(parent.get(r.location()).html().select("h1").text()).isEqualTo("Thank you for signing!");

        var after = parent.get("/p/sign-once").html();
        assertThat(after.select(".count strong").text()).isEqualTo("1");
        assertThat(after.select(".recent li").eachText()).containsExactly("Ana R.");
        assertThat(app.dsl().fetchCount(ACTIVITIES, ACTIVITIES.KIND.eq("petition.signed").and(ACTIVITIES.SUBJECT_ID.eq(id))))
                .isEqualTo(1);
        assertThat(app.dsl().select(CONSENTS.SOURCE).from(CONSENTS).join(PEOPLE).on(PEOPLE.ID.eq(CONSENTS.PERSON_ID))
                .where(PEOPLE.EMAIL_NORMALIZED.eq("ana@example.org")).fetch(CONSENTS.SOURCE)).containsExactly("petition:" + id);
    }

    @Test
    void signing_again_with_the_email_in_another_case_says_already_signed_and_changes_nothing() {
        long id = PetitionFixtures.id(fx.openPetition("sign-twice"));
        Http parent = app.http();
        parent.postRaw("/p/sign-twice/sign", fx.signer(id, "Luis", "Pérez", "luis@example.org"));
        Map<String, String> again = fx.signer(id, "Lucho", "Other", "  LUIS@Example.org ");
        again.put("comments", "second try");
        Http.Response r = parent.postRaw("/p/sign-twice/sign", again);
        assertThat(r.location()).contains("result=already");
        assertThat(parent.get(r.location()).html().select("h1").text()).isEqualTo("You already signed this petition.");
        assertThat(app.dsl().fetchCount(SIGNATURES, SIGNATURES.PETITION_ID.eq(id))).isEqualTo(1);
        assertThat(app.dsl().select(PEOPLE.GIVEN_NAME).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("luis@example.org"))
                .fetchSingle().value1()).isEqualTo("Luis");
        assertThat(app.dsl().fetchCount(CONSENTS, CONSENTS.SOURCE.eq("petition:" + id))).isEqualTo(1);
    }

    @Test
    void a_form_with_errors_comes_back_with_messages_next_to_the_fields_and_the_values_kept() {
        long id = PetitionFixtures.id(fx.openPetition("sign-errors"));
        Map<String, String> bad = fx.signer(id, "", "Kept", "not-an-email");
        bad.put("comments", "kept comment");
        Http.Response r = app.http().postRaw("/p/sign-errors/sign", bad);
        assertThat(r.status()).isEqualTo(422);
        var doc = r.html();
        assertThat(doc.select("#f-given_name-error").text()).isEqualTo("This field is required.");
        assertThat(doc.select("#f-email-error").text()).contains("email address");
        assertThat(doc.select("#f-email").attr("aria-invalid")).isEqualTo("true");
        assertThat(doc.select("#f-family_name").val()).isEqualTo("Kept");
        assertThat(doc.select("#f-comments").text()).isEqualTo("kept comment");
        assertThat(app.dsl().fetchCount(SIGNATURES, SIGNATURES.PETITION_ID.eq(id))).isZero();
    }

    @Test
    void a_filled_honeypot_or_a_too_fast_submission_gets_a_plain_page_and_no_signature() {
        long id = PetitionFixtures.id(fx.openPetition("sign-bots"));
        Map<String, String> trap = fx.signer(id, "Bot", "One", "bot1@example.org");
        trap.put(BotGuard.HONEYPOT, "http://spam.example");
        Http.Response r1 = app.http().postRaw("/p/sign-bots/sign", trap);
        assertThat(r1.status()).isEqualTo(400);
        assertThat(r1.html().select("form")).isEmpty();

        Map<String, String> fast = fx.signer(id, "Bot", "Two", "bot2@example.org");
        fast.put(BotGuard.STAMP, fx.stamp(id, 500));
        assertThat(app.http().postRaw("/p/sign-bots/sign", fast).status()).isEqualTo(400);

        Map<String, String> forged = fx.signer(id, "Bot", "Three", "bot3@example.org");
        forged.put(BotGuard.STAMP, (System.currentTimeMillis() - 10_000) + ".deadbeef");
        assertThat(app.http().postRaw("/p/sign-bots/sign", forged).status()).isEqualTo(422);
        assertThat(app.dsl().fetchCount(SIGNATURES, SIGNATURES.PETITION_ID.eq(id))).isZero();
    }

    @Test
    void a_referral_code_from_the_link_is_recorded_on_the_signature() {
        long id = PetitionFixtures.id(fx.openPetition("sign-ref"));
        Http first = app.http();
        String thanks = first.postRaw("/p/sign-ref/sign", fx.signer(id, "Rosa", "Leader", "rosa@example.org")).location();
        String code = thanks.replaceAll(".*ref=([a-z0-9]+).*", "$1");
        Http friend = app.http();
        var page = friend.get("/p/sign-ref?ref=" + code).html();
        Map<String, String> f = fx.signer(id, "Marta", "Friend", "marta@example.org");
        f.put("ref", page.select("input[name=ref]").val());
        friend.postRaw("/p/sign-ref/sign", f);
        Long rosa = app.dsl().select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("rosa@example.org")).fetchSingle().value1();
        assertThat(app.dsl().select(SIGNATURES.REFERRER_ID).from(SIGNATURES).join(PEOPLE).on(PEOPLE.ID.eq(SIGNATURES.PERSON_ID))
                .where(PEOPLE.EMAIL_NORMALIZED.eq("marta@example.org")).fetchSingle().value1()).isEqualTo(rosa);
    }

    @Test
    void a_closed_petition_shows_the_final_count_and_no_form() {
        String admin = fx.openPetition("sign-closed");
        long id = PetitionFixtures.id(admin);
        app.http().postRaw("/p/sign-closed/sign", fx.signer(id, "Eva", "Closed", "eva@example.org"));
        Http organizer = app.signedIn("organizer");
        organizer.page(admin);
        assertThat(organizer.post(admin + "/status", Map.of("status", "closed")).status()).isEqualTo(303);
        var page = app.http().get("/p/sign-closed").html();
        assertThat(page.select(".count strong").text()).isEqualTo("1");
        assertThat(page.select("form.sign-form")).isEmpty();
        assertThat(page.select(".badge").text()).contains("closed");
    }

    @Test
    void the_thank_you_email_arrives_in_the_signers_language_with_share_links() throws Exception {
        long id = PetitionFixtures.id(fx.openPetition("sign-mail"));
        Map<String, String> f = fx.signer(id, "Carmen", "López", "carmen@example.org");
        f.put("language", "es");
        app.http().postRaw("/p/sign-mail/sign", f);
        var mail = fx.awaitMailTo("carmen@example.org");
        assertThat(mail.getSubject()).isEqualTo("Gracias por firmar: Consejeros en cada escuela");
        String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(mail);
        assertThat(body).contains("wa.me").contains("/p/sign-mail?ref=");
        // Queued as the petition's shared body and her values (V083), sent whole: her name and her
        // own referral code in place, no marker left.
        String code = app.dsl().select(org.convoca.db.schema.Tables.PEOPLE.REFERRAL_CODE).from(org.convoca.db.schema.Tables.PEOPLE)
                .where(org.convoca.db.schema.Tables.PEOPLE.EMAIL_NORMALIZED.eq("carmen@example.org")).fetchSingle().value1();
        assertThat(body).contains("Carmen").contains(code).doesNotContainPattern("zq[nc][a-z]{12}qz");
        assertThat(app.dsl().fetchCount(org.convoca.db.schema.Tables.OUTBOX, org.convoca.db.schema.Tables.OUTBOX.TO_ADDRESS
                .eq("carmen@example.org").and(org.convoca.db.schema.Tables.OUTBOX.BODY_ID.isNotNull()))).isEqualTo(1);
    }
}
