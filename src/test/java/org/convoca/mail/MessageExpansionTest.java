package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.LISTS;
import static org.convoca.db.schema.Tables.LIST_MEMBERS;
import static org.convoca.db.schema.Tables.MESSAGES;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.convoca.testsupport.TestApp;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Queueing a message chunk by chunk, each committed: workers send what is queued while the rest
 * is queued, the message is not finished before it is fully queued, and queueing that a crash cut
 * off is taken up again with nobody queued (or sent) twice.
 */
class MessageExpansionTest {
    static TestApp app;
    static BlastSender sender;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        sender = app.app.blastSender().orElseThrow();
        sender.close();  // the test drains on its own thread
        app.dsl().execute("update organization set postal_address = '123 Main St, Springfield'");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void queueing_cut_off_by_a_crash_is_taken_up_again_and_the_message_finishes_only_when_all_are_sent() throws Exception {
        DSLContext dsl = app.dsl();
        long list = dsl.insertInto(LISTS).set(LISTS.NAME, "Cut off").returningResult(LISTS.ID).fetchSingle().value1();
        long[] people = new long[12];
        for (int i = 0; i < people.length; i++) {
            people[i] = subscriber("cut" + i, "C" + i);
            dsl.insertInto(LIST_MEMBERS).set(LIST_MEMBERS.LIST_ID, list).set(LIST_MEMBERS.PERSON_ID, people[i]).execute();
        }
        long id = messageTo(list);
        // Started as sendNow starts it, then one chunk of 5 people ids queued before the instance died.
        Audience audience = new Audience(dsl, 5);
        dsl.transaction(cfg -> {
            cfg.dsl().update(MESSAGES).set(MESSAGES.STATUS, "sending").where(MESSAGES.ID.eq(id)).execute();
            audience.begin(cfg.dsl(), id);
            // As if the chunks below this list's people were done already.
            cfg.dsl().update(MESSAGES).set(MESSAGES.EXPANDED_THROUGH, people[0] - 1).where(MESSAGES.ID.eq(id)).execute();
        });
        boolean more = dsl.transactionResult(cfg -> audience.expandNext(cfg.dsl(), id));
        assertThat(more).as("more to queue").isTrue();

        // The workers send the queued chunk, and do not take the message for finished.
        assertThat(sender.drain()).isEqualTo(5);
        assertThat(status(id)).isEqualTo("sending");
        MessageService service = new MessageService(dsl, new MessageRepository(dsl), audience);
        service.startDue();
        assertThat(queuedOrSent(id)).as("a fresh expansion is left to its instance").isEqualTo(5);

        // Nothing more for a while: another instance takes it up, from where it stopped.
        dsl.update(MESSAGES).set(MESSAGES.EXPANDED_AT, OffsetDateTime.now().minus(Audience.STALE).minusSeconds(1))
                .where(MESSAGES.ID.eq(id)).execute();
        service.startDue();
        assertThat(queuedOrSent(id)).isEqualTo(people.length);
        assertThat(dsl.select(MESSAGES.TOTAL).from(MESSAGES).where(MESSAGES.ID.eq(id)).fetchOne().value1()).isEqualTo(people.length);
        assertThat(sender.drain()).isEqualTo(people.length - 5);
        assertThat(status(id)).isEqualTo("sent");

        var copies = Arrays.stream(app.smtp.getReceivedMessages()).map(m -> {
            try {
                return ((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(a -> a.startsWith("cut")).collect(Collectors.groupingBy(a -> a, Collectors.counting()));
        assertThat(copies).hasSize(people.length);
        assertThat(copies.values()).allMatch(c -> c == 1);
    }

    @Test
    void a_message_cancelled_while_being_queued_queues_nobody_more() {
        DSLContext dsl = app.dsl();
        long person = subscriber("late", "Late");
        long list = dsl.insertInto(LISTS).set(LISTS.NAME, "Late").returningResult(LISTS.ID).fetchSingle().value1();
        dsl.insertInto(LIST_MEMBERS).set(LIST_MEMBERS.LIST_ID, list).set(LIST_MEMBERS.PERSON_ID, person).execute();
        long id = messageTo(list);
        Audience audience = new Audience(dsl, 1);
        dsl.transaction(cfg -> {
            cfg.dsl().update(MESSAGES).set(MESSAGES.STATUS, "sending").where(MESSAGES.ID.eq(id)).execute();
            audience.begin(cfg.dsl(), id);
        });
        assertThat(new MessageService(dsl, new MessageRepository(dsl), audience).cancel(id)).isTrue();
        audience.expandAll(dsl, id, () -> { });

        assertThat(queuedOrSent(id)).isZero();
        assertThat(dsl.select(MESSAGES.EXPAND_UNTIL).from(MESSAGES).where(MESSAGES.ID.eq(id)).fetchOne().value1()).isNull();
    }

    /** A subscribed person {@code local}@example.org; returns the id. */
    private static long subscriber(String local, String givenName) {
        String email = local + "@example.org";
        return app.dsl().insertInto(PEOPLE).set(PEOPLE.EMAIL, email).set(PEOPLE.EMAIL_NORMALIZED, email)
                .set(PEOPLE.GIVEN_NAME, givenName).set(PEOPLE.LANGUAGE, "en").set(PEOPLE.EMAIL_STATUS, "subscribed")
                .set(PEOPLE.REFERRAL_CODE, local + System.nanoTime()).returningResult(PEOPLE.ID).fetchSingle().value1();
    }

    /** A message to the members of {@code list}, not started; returns the id. */
    private static long messageTo(long list) {
        return app.dsl().insertInto(MESSAGES).set(MESSAGES.SUBJECT, "Board meeting").set(MESSAGES.BODY, "Come on Tuesday.")
                .set(MESSAGES.TARGETS, org.jooq.JSONB.valueOf("[{\"list\": " + list + "}]"))
                .returningResult(MESSAGES.ID).fetchSingle().value1();
    }

    private static String status(long id) {
        return app.dsl().select(MESSAGES.STATUS).from(MESSAGES).where(MESSAGES.ID.eq(id)).fetchOne().value1();
    }

    private static int queuedOrSent(long id) {
        return app.dsl().fetchCount(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID.eq(id)
                .and(MESSAGE_DELIVERIES.STATUS.in("queued", "sent")));
    }
}
