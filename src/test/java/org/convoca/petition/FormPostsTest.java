package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.FORM_RATE_LIMITS;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.convoca.db.AppSecrets;
import org.convoca.mail.EmailRenderer;
import org.convoca.mail.OutboxBodies;
import org.convoca.settings.OrganizationRepository;
import org.convoca.supporter.PersonInput;
import org.convoca.testsupport.TestApp;
import org.convoca.web.Lang;
import org.convoca.web.Messages;
import org.convoca.web.Templates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A signature batch counts its form posts in its own transaction and writes none of those over
 * their address's limit: one batch, built here, so that what shares a batch is not left to timing.
 */
class FormPostsTest {
    static final int LIMIT = 3;
    static TestApp app;
    static PetitionFixtures fx;
    static SignatureBatch batch;
    static BotGuard guard;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        fx = new PetitionFixtures(app);
        var emails = new EmailRenderer(new Templates(new Messages(), Optional.empty(), true), new OrganizationRepository(app.dsl()));
        batch = new SignatureBatch(new SignatureMail(emails, new ShareLinks("https://convoca.example.org"),
                new OutboxBodies(app.dsl())));
        guard = new BotGuard(app.dsl(), new AppSecrets(app.dsl()), LIMIT);
    }

    @AfterAll
    static void stop() {
        guard.close();
        app.close();
    }

    @BeforeEach
    void forgetCounts() {
        app.dsl().deleteFrom(FORM_RATE_LIMITS).execute();
        // A batch's posts share one clock minute; keep clear of its edge.
        while (System.currentTimeMillis() % 60_000 > 55_000) sleep(200);
    }

    @Test
    void posts_past_the_limit_write_nothing_and_the_api_and_other_addresses_are_not_held_back() {
        Petition p = petition("fp-mixed");
        List<SignatureBatch.Item> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) items.add(item(p, "crowd" + i + "@example.org", "school-wifi", true));
        items.add(item(p, "home@example.org", "home", true));
        items.add(item(p, "api@example.org", "school-wifi", false));

        List<Signing.Result> results = batch.write(app.dsl(), items, guard.posts(items));

        assertThat(results.stream().map(Signing.Result::outcome).toList()).containsExactly(
                Signing.Outcome.SIGNED, Signing.Outcome.SIGNED, Signing.Outcome.SIGNED,
                Signing.Outcome.RATE_LIMITED, Signing.Outcome.RATE_LIMITED,
                Signing.Outcome.SIGNED, Signing.Outcome.SIGNED);
        assertThat(signers(p)).containsExactlyInAnyOrder("crowd0@example.org", "crowd1@example.org",
                "crowd2@example.org", "home@example.org", "api@example.org");
        // Refused posts leave no person behind either.
        assertThat(app.dsl().fetchCount(PEOPLE, PEOPLE.EMAIL_NORMALIZED.in("crowd3@example.org", "crowd4@example.org")))
                .isZero();
        // Every form post counted once, the API's not at all.
        assertThat(hits()).isEqualTo(6);
    }

    @Test
    void the_count_goes_on_from_earlier_batches_and_a_repeat_in_the_same_batch_is_over_it_too() {
        Petition p = petition("fp-later");
        List<SignatureBatch.Item> first = List.of(item(p, "one@example.org", "wifi", true), item(p, "two@example.org", "wifi", true));
        assertThat(batch.write(app.dsl(), first, guard.posts(first))).extracting(Signing.Result::outcome)
                .containsOnly(Signing.Outcome.SIGNED);
        // One post left this minute: the first of these signs; its repeat (a later round of the
        // same transaction) and a third person are over the limit.
        List<SignatureBatch.Item> second = List.of(item(p, "three@example.org", "wifi", true),
                item(p, " THREE@example.org", "wifi", true), item(p, "four@example.org", "wifi", true));
        assertThat(batch.write(app.dsl(), second, guard.posts(second))).extracting(Signing.Result::outcome)
                .containsExactly(Signing.Outcome.SIGNED, Signing.Outcome.RATE_LIMITED, Signing.Outcome.RATE_LIMITED);
        assertThat(signers(p)).containsExactlyInAnyOrder("one@example.org", "two@example.org", "three@example.org");
        assertThat(hits()).isEqualTo(5);
    }

    @Test
    void a_batch_written_again_after_a_petition_closed_counts_its_posts_once() {
        Petition open = petition("fp-open");
        Petition closing = petition("fp-closing");
        app.dsl().update(org.convoca.db.schema.Tables.PETITIONS).set(org.convoca.db.schema.Tables.PETITIONS.STATUS, "closed")
                .where(org.convoca.db.schema.Tables.PETITIONS.ID.eq(closing.id())).execute();
        // The writer holds the page's copy (still open): the batch is rolled back and written again.
        List<SignatureBatch.Item> items = List.of(item(closing, "late@example.org", "wifi", true),
                item(open, "a@example.org", "wifi", true), item(open, "b@example.org", "wifi", true));
        assertThat(batch.write(app.dsl(), items, guard.posts(items))).extracting(Signing.Result::outcome)
                .containsExactly(Signing.Outcome.CLOSED, Signing.Outcome.SIGNED, Signing.Outcome.SIGNED);
        assertThat(hits()).isEqualTo(3);
    }

    private Petition petition(String slug) {
        long id = PetitionFixtures.id(fx.openPetition(slug));
        return new PetitionRepository(app.dsl()).find(id).orElseThrow();
    }

    private static SignatureBatch.Item item(Petition p, String email, String address, boolean form) {
        var person = new PersonInput("Parent", "Tester", email, "", "", "en", true, "");
        return new SignatureBatch.Item(p, new SignatureInput(person, "", "", false), null, Lang.EN, form ? "form" : "api",
                address, null, form);
    }

    private static List<String> signers(Petition p) {
        return app.dsl().select(PEOPLE.EMAIL_NORMALIZED).from(SIGNATURES).join(PEOPLE).on(PEOPLE.ID.eq(SIGNATURES.PERSON_ID))
                .where(SIGNATURES.PETITION_ID.eq(p.id())).fetch(PEOPLE.EMAIL_NORMALIZED);
    }

    private static int hits() {
        Integer sum = app.dsl().select(org.jooq.impl.DSL.sum(FORM_RATE_LIMITS.HITS).cast(Integer.class)).from(FORM_RATE_LIMITS)
                .fetchOne().value1();
        return sum == null ? 0 : sum;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
