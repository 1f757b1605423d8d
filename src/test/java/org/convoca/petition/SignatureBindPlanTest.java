package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.OUTBOX;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.util.List;
import java.util.Map;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The signature writer's statements take their values from the arrays it built (RoundTrip's bind
 * plans) once the plans are learnt, and what they write then is what the form was given.
 */
class SignatureBindPlanTest {
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
    void signers_after_the_plans_are_learnt_are_written_with_their_own_values() {
        long id = PetitionFixtures.id(fx.openPetition("plans"));
        // Each post is a batch of its own: the first uses teach and check the plans, the later ones use them.
        int signers = BindPlan.LEARN_USES + 4;
        for (int i = 0; i < signers; i++) {
            Map<String, String> form = fx.signer(id, "Name" + i, "Family" + i, "plan" + i + "@example.org");
            form.put("postal_code", "9000" + i);
            form.put("comments", "comment " + i);
            assertThat(app.http().postRaw("/p/plans/sign", form).status()).isEqualTo(303);
        }
        for (String shape : List.of("signature.people", "signature.signatures", "signature.readPeople",
                "signature.consents", "signature.activities", "signature.outbox", "signature.openPetitions", "rate.upsert")) {
            assertThat(RoundTrip.planned(shape)).as(shape).isTrue();
        }
        for (int i = 0; i < signers; i++) {
            String email = "plan" + i + "@example.org";
            var person = app.dsl().selectFrom(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq(email)).fetchSingle();
            assertThat(person.getGivenName()).isEqualTo("Name" + i);
            assertThat(person.getFamilyName()).isEqualTo("Family" + i);
            assertThat(person.getPostalCode()).isEqualTo("9000" + i);
            var signature = app.dsl().selectFrom(SIGNATURES).where(SIGNATURES.PERSON_ID.eq(person.getId())).fetchSingle();
            assertThat(signature.getComments()).isEqualTo("comment " + i);
            assertThat(signature.getStatus()).isEqualTo("confirmed");
            assertThat(signature.getConfirmedAt()).isNotNull();
            assertThat(signature.getTokenExpiresAt()).isNull();
            assertThat(app.dsl().fetchCount(CONSENTS, CONSENTS.PERSON_ID.eq(person.getId()))).isEqualTo(1);
            assertThat(app.dsl().fetchCount(OUTBOX, OUTBOX.TO_ADDRESS.eq(email))).isEqualTo(1);
        }
    }

    @Test
    void a_value_bound_outside_the_arrays_that_changes_drops_the_plan() {
        BindPlan plan = BindPlan.learning();
        String[] first = {"a"};
        assertThat(plan.check(List.of(first, "constant", 1L), List.of((Object) first))).isTrue();
        String[] second = {"b"};
        assertThat(plan.check(List.of(second, "constant", 1L), List.of((Object) second))).isTrue();
        String[] third = {"c"};
        assertThat(plan.check(List.of(third, "constant", 2L), List.of((Object) third))).as("a scalar that changed").isFalse();
        assertThat(plan.check(List.<Object>of(third, new String[] {"x"}), List.of((Object) third))).as("an array not given").isFalse();
    }

    @Test
    void a_plan_gives_each_use_its_own_arrays_and_the_constants() {
        BindPlan plan = BindPlan.learning();
        for (int i = 0; i < BindPlan.LEARN_USES + 1; i++) {
            String[] a = {"a" + i};
            Long[] b = {(long) i};
            if (plan.values(List.of(a, b)) == null) plan.check(List.of(b, "k", a), List.of(a, b));
        }
        String[] a = {"z"};
        Long[] b = {9L};
        List<Object> values = plan.values(List.of(a, b));
        assertThat(values).isNotNull();
        assertThat(values.get(0)).isSameAs(b);
        assertThat(values.get(1)).isEqualTo("k");
        assertThat(values.get(2)).isSameAs(a);
    }
}
