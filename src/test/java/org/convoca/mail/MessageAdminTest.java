package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.LISTS;
import static org.convoca.db.schema.Tables.LIST_MEMBERS;
import static org.convoca.db.schema.Tables.MESSAGES;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The compose page, preview, audience count and the bounce webhook, as an organizer sees them. */
class MessageAdminTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        app.app.blastSender().orElseThrow().close();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static long person(String email, String given, String status) {
        return app.dsl().insertInto(PEOPLE).set(PEOPLE.EMAIL, email).set(PEOPLE.EMAIL_NORMALIZED, email)
                .set(PEOPLE.GIVEN_NAME, given).set(PEOPLE.EMAIL_STATUS, status).set(PEOPLE.REFERRAL_CODE, "r" + System.nanoTime())
                .returningResult(PEOPLE.ID).fetchSingle().value1();
    }

    static long list(String name, long... people) {
        long id = app.dsl().insertInto(LISTS).set(LISTS.NAME, name).returningResult(LISTS.ID).fetchSingle().value1();
        for (long p : people) app.dsl().insertInto(LIST_MEMBERS).set(LIST_MEMBERS.LIST_ID, id).set(LIST_MEMBERS.PERSON_ID, p).execute();
        return id;
    }

    @Test
    void an_organizer_composes_a_message_and_sees_how_many_people_will_get_it() {
        long a = person("count-a@example.org", "Ana", "subscribed");
        long b = person("count-b@example.org", "Bea", "subscribed");
        long c = person("count-c@example.org", "Cy", "unsubscribed");
        long listId = list("Count list", a, b, c);
        long exclude = list("Count exclude", b);
        Http http = app.signedIn("organizer");
        http.page("/admin/messages/new");

        var r = http.post("/admin/messages", Map.of("subject", "Hello {{ given_name }}", "body", "Come, {{ given_name | default(\"amiga/amigo\") }}!",
                "lists", String.valueOf(listId), "exclude_lists", String.valueOf(exclude), "tracking", "on"));

        assertThat(r.status()).isEqualTo(303);
        var page = http.page(r.location());
        assertThat(page.body()).contains("1 people will get this message");
        long id = Long.parseLong(r.location().replaceAll("\\D+", ""));
        var preview = http.get("/admin/messages/" + id + "/preview?person=" + a);
        assertThat(preview.body()).contains("Come, Ana!");
        assertThat(http.get("/admin/messages/" + id + "/preview").body()).contains("Come, amiga/amigo!");
    }

    @Test
    void an_unknown_merge_field_is_shown_next_to_the_body_and_nothing_is_saved() {
        Http http = app.signedIn("organizer");
        http.page("/admin/messages/new");
        int before = app.dsl().fetchCount(MESSAGES);

        var r = http.post("/admin/messages", Map.of("subject", "Hi", "body", "Hello {{ frist_name }}"));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-body-error").text()).contains("personal field");
        assertThat(r.html().select("#f-body").text()).contains("{{ frist_name }}");
        assertThat(app.dsl().fetchCount(MESSAGES)).isEqualTo(before);
    }

    @Test
    void sending_pausing_and_cancelling_move_the_message_through_its_states() {
        long a = person("states@example.org", "Sol", "subscribed");
        long listId = list("States", a);
        Http http = app.signedIn("organizer");
        http.page("/admin/messages/new");
        var r = http.post("/admin/messages", Map.of("subject", "S", "body", "B", "lists", String.valueOf(listId)));
        String path = r.location();
        http.page(path);
        http.post(path + "/send", Map.of());
        assertThat(http.page(path).body()).contains("Sending");
        http.post(path + "/pause", Map.of());
        assertThat(http.page(path).body()).contains("Paused");
        http.post(path + "/cancel", Map.of());
        assertThat(http.page(path).body()).contains("Cancelled").contains("Skipped");
    }

    @Test
    void a_test_send_goes_out_through_the_transactional_outbox_while_a_blast_waits_in_its_own_queue() throws Exception {
        long[] many = new long[30];
        for (int i = 0; i < many.length; i++) many[i] = person("queued" + i + "@example.org", "Q" + i, "subscribed");
        long listId = list("Big", many);
        Http http = app.signedIn("organizer");
        http.page("/admin/messages/new");
        String path = http.post("/admin/messages", Map.of("subject", "Hola {{ given_name }}", "body", "Cuerpo",
                "lists", String.valueOf(listId))).location();
        http.page(path);
        http.post(path + "/send", Map.of());
        app.smtp.purgeEmailFromAllMailboxes();

        http.post(path + "/test", Map.of("addresses", "organizer-test@example.org"));
        app.deliverMail();

        var received = app.smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("[TEST] Hola");
        assertThat(app.dsl().fetchCount(org.convoca.db.schema.Tables.MESSAGE_DELIVERIES,
                org.convoca.db.schema.Tables.MESSAGE_DELIVERIES.STATUS.eq("queued"))).isEqualTo(30);
    }

    @Test
    void a_hard_bounce_sets_bouncing_with_a_consent_row_and_a_soft_one_changes_nothing() {
        long hard = person("hard@example.org", "Hal", "subscribed");
        long soft = person("soft@example.org", "Sid", "subscribed");
        Recipients recipients = new Recipients(app.dsl());

        recipients.providerEvent("HARD@example.org", "bouncing", "provider:bounce");

        assertThat(app.dsl().select(PEOPLE.EMAIL_STATUS).from(PEOPLE).where(PEOPLE.ID.eq(hard)).fetchOne(PEOPLE.EMAIL_STATUS))
                .isEqualTo("bouncing");
        assertThat(app.dsl().fetchCount(org.convoca.db.schema.Tables.CONSENTS,
                org.convoca.db.schema.Tables.CONSENTS.PERSON_ID.eq(hard).and(org.convoca.db.schema.Tables.CONSENTS.METHOD.eq("bounce"))))
                .isEqualTo(1);
        assertThat(app.dsl().select(PEOPLE.EMAIL_STATUS).from(PEOPLE).where(PEOPLE.ID.eq(soft)).fetchOne(PEOPLE.EMAIL_STATUS))
                .isEqualTo("subscribed");
    }

    @Test
    void a_provider_complaint_sets_the_person_to_spam_complaint_only_with_the_webhook_token() {
        long p = person("complains@example.org", "Cat", "subscribed");
        var anonymous = app.http().json("POST", "/hooks/mail/events", "wrong",
                "{\"email\": \"complains@example.org\", \"type\": \"complaint\"}");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(app.dsl().select(PEOPLE.EMAIL_STATUS).from(PEOPLE).where(PEOPLE.ID.eq(p)).fetchOne(PEOPLE.EMAIL_STATUS))
                .isEqualTo("subscribed");
        // Without MAIL_WEBHOOK_TOKEN configured the webhook refuses every call.
    }
}
