package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.OUTBOX;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signatures written together (group commit) keep every rule a lone signature follows: known
 * people merge as before, on either instance, and a petition closed a moment after its page was
 * read takes no more signatures.
 */
class PetitionGroupCommitTest {
    static TestApp a;
    static TestApp b;
    static PetitionFixtures fx;

    @BeforeAll
    static void start() {
        a = TestApp.start();
        b = a.secondInstance();
        fx = new PetitionFixtures(a);
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    @Test
    void a_known_person_signing_another_petition_keeps_what_they_left_blank_and_opts_in_with_a_consent_row() {
        String token = a.apiKey(a.createUser("gc-api@example.org", "organizer"));
        long first = PetitionFixtures.id(fx.openPetition("gc-known-1"));
        long second = PetitionFixtures.id(fx.openPetition("gc-known-2"));
        a.http().json("POST", "/api/v1/petitions/" + first + "/signatures", token, """
                {"person": {"given_name": "Nora", "family_name": "Known", "email_addresses": [{"address": "nora@example.org"}],
                 "postal_addresses": [{"postal_code": "90033"}], "phone_numbers": [{"number": "213-555-0101"}]}}""");
        assertThat(a.dsl().select(PEOPLE.EMAIL_STATUS).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("nora@example.org"))
                .fetchSingle().value1()).isEqualTo("unsubscribed");

        Map<String, String> f = fx.signer(second, "Nora", "Known-Renamed", " NORA@example.org");
        f.put("postal_code", "");
        Http.Response r = b.http().postRaw("/p/gc-known-2/sign", f);
        assertThat(r.location()).contains("result=signed");
        var nora = a.dsl().selectFrom(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("nora@example.org")).fetchSingle();
        assertThat(nora.getFamilyName()).isEqualTo("Known-Renamed");
        assertThat(nora.getPostalCode()).isEqualTo("90033");
        assertThat(nora.getPhone()).isNotBlank();
        assertThat(nora.getEmailStatus()).isEqualTo("subscribed");
        assertThat(r.location()).contains("ref=" + nora.getReferralCode());
        assertThat(a.dsl().select(CONSENTS.IP_HASH).from(CONSENTS)
                .where(CONSENTS.PERSON_ID.eq(nora.getId()).and(CONSENTS.SOURCE.eq("petition:" + second)))
                .fetch(CONSENTS.IP_HASH)).singleElement().asString().hasSizeGreaterThan(20);
        assertThat(a.dsl().fetchCount(SIGNATURES, SIGNATURES.PERSON_ID.eq(nora.getId()))).isEqualTo(2);
        assertThat(a.dsl().fetchCount(OUTBOX, OUTBOX.TO_ADDRESS.eq("NORA@example.org")
                .and(OUTBOX.KIND.eq("petition_thanks")))).isEqualTo(1);
    }

    @Test
    void a_petition_closed_just_after_its_page_was_read_takes_no_more_signatures() {
        String admin = fx.openPetition("gc-closing");
        long id = PetitionFixtures.id(admin);
        assertThat(a.http().postRaw("/p/gc-closing/sign", fx.signer(id, "Early", "Signer", "early@example.org")).status())
                .isEqualTo(303);
        Http organizer = a.signedIn("organizer");
        organizer.page(admin);
        assertThat(organizer.post(admin + "/status", Map.of("status", "closed")).status()).isEqualTo(303);
        Http.Response late = a.http().postRaw("/p/gc-closing/sign", fx.signer(id, "Late", "Signer", "late@example.org"));
        assertThat(late.status()).isEqualTo(303);
        assertThat(late.location()).doesNotContain("thanks");
        assertThat(a.dsl().fetchCount(SIGNATURES, SIGNATURES.PETITION_ID.eq(id))).isEqualTo(1);
        assertThat(a.dsl().fetchCount(PEOPLE, PEOPLE.EMAIL_NORMALIZED.eq("late@example.org"))).isZero();
    }
}
