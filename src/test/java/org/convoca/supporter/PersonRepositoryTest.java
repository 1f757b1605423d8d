package org.convoca.supporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.PEOPLE;

import org.convoca.db.Database;
import org.convoca.testsupport.TestDatabase;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PersonRepositoryTest {
    static Database db;
    static final PersonRepository.Origin FORM = new PersonRepository.Origin("petition:1", "form", "hash");

    @BeforeAll
    static void start() {
        db = new Database(TestDatabase.fresh(), 4);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    static PersonRepository.Upserted upsert(PersonInput in) {
        return db.dsl().transactionResult(cfg -> PersonRepository.upsert(cfg.dsl(), in,
                Phones.normalize(in.phone(), "US").orElse(""), FORM));
    }

    @Test
    void referral_codes_are_twelve_unambiguous_characters_and_a_hundred_thousand_do_not_repeat() {
        java.util.Set<String> codes = new java.util.HashSet<>();
        for (int i = 0; i < 100_000; i++) codes.add(PersonRepository.newReferralCode());
        assertThat(codes).hasSize(100_000).allMatch(c -> c.matches("[abcdefghjkmnpqrstuvwxyz23456789]{12}"));
        // Every character of the alphabet turns up in the first and in the last place.
        assertThat(codes.stream().map(c -> c.charAt(0)).distinct().count()).isEqualTo(31);
        assertThat(codes.stream().map(c -> c.charAt(11)).distinct().count()).isEqualTo(31);
    }

    @Test
    void the_same_email_in_another_case_or_with_spaces_is_the_same_person() {
        var first = upsert(new PersonInput("Ana", "López", "ana.lopez@example.org", "90011", "", "es", false, ""));
        var second = upsert(new PersonInput("", "", "  ANA.Lopez@Example.org ", "", "", "", false, ""));
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.personId()).isEqualTo(first.personId());
        var row = db.dsl().selectFrom(PEOPLE).where(PEOPLE.ID.eq(first.personId())).fetchOne();
        assertThat(row.getGivenName()).as("blank input keeps stored data").isEqualTo("Ana");
        assertThat(row.getPostalCode()).isEqualTo("90011");
        assertThat(row.getLanguage()).isEqualTo("es");
    }

    @Test
    void opting_in_subscribes_and_records_consent_with_its_source() {
        var p = upsert(new PersonInput("Rosa", "", "rosa@example.org", "", "(213) 555-0143", "", true, ""));
        DSLContext dsl = db.dsl();
        assertThat(dsl.select(PEOPLE.EMAIL_STATUS, PEOPLE.PHONE).from(PEOPLE).where(PEOPLE.ID.eq(p.personId())).fetchOne())
                .satisfies(r -> {
                    assertThat(r.value1()).isEqualTo("subscribed");
                    assertThat(r.value2()).isEqualTo("+12135550143");
                });
        var consent = dsl.selectFrom(CONSENTS).where(CONSENTS.PERSON_ID.eq(p.personId())).fetchOne();
        assertThat(consent.getGranted()).isTrue();
        assertThat(consent.getSource()).isEqualTo("petition:1");
        assertThat(consent.getIpHash()).isEqualTo("hash");
    }

    @Test
    void a_referral_code_records_who_recruited_whom_and_the_first_recruiter_stays() {
        var leader = upsert(new PersonInput("Lupe", "", "lupe@example.org", "", "", "", false, ""));
        String code = db.dsl().select(PEOPLE.REFERRAL_CODE).from(PEOPLE).where(PEOPLE.ID.eq(leader.personId())).fetchOne().value1();
        var other = upsert(new PersonInput("Otro", "", "otro-leader@example.org", "", "", "", false, ""));
        String otherCode = db.dsl().select(PEOPLE.REFERRAL_CODE).from(PEOPLE).where(PEOPLE.ID.eq(other.personId())).fetchOne().value1();

        var recruit = upsert(new PersonInput("Mari", "", "mari@example.org", "", "", "", false, code.toUpperCase()));
        upsert(new PersonInput("Mari", "", "mari@example.org", "", "", "", false, otherCode));
        assertThat(db.dsl().select(PEOPLE.RECRUITED_BY).from(PEOPLE).where(PEOPLE.ID.eq(recruit.personId())).fetchOne().value1())
                .isEqualTo(leader.personId());
    }

    @Test
    void control_characters_in_names_are_removed() {
        var p = upsert(new PersonInput("Eve\r\nBcc: x@evil.test", "", "eve@example.org", "", "", "", false, ""));
        assertThat(db.dsl().select(PEOPLE.GIVEN_NAME).from(PEOPLE).where(PEOPLE.ID.eq(p.personId())).fetchOne().value1())
                .doesNotContain("\r").doesNotContain("\n");
    }
}
