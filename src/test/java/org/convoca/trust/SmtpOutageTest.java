package org.convoca.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.OUTBOX;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;
import static org.convoca.db.schema.Tables.TAGS;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.convoca.mail.OutgoingEmail;
import org.convoca.mail.Outbox;
import org.convoca.testsupport.TestApp;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

/**
 * The SMTP relay is down for a full minute while transactional mail (the outbox) and a blast are
 * waiting. Nothing in the test hurries the retries: the app's own background senders and their
 * backoff (30 s, then 60 s) decide when to try again, so the mail goes out about 90 s after the
 * outage began, each email exactly once.
 */
class SmtpOutageTest {
    static final Duration OUTAGE = Duration.ofSeconds(60);

    @Test
    void mail_queued_while_smtp_is_down_for_a_minute_waits_then_goes_out_once_none_lost_or_doubled() throws Exception {
        TestApp app = TestApp.start();
        GreenMail relay = app.smtp;
        try {
            int port = app.smtp.getSmtp().getPort();
            app.smtp.stop();
            long outageEnds = System.nanoTime() + OUTAGE.toNanos();
            int emails = 60;
            int people = 60;
            DSLContext dsl = app.dsl();
            dsl.transaction(cfg -> {
                for (int i = 0; i < emails; i++) {
                    Outbox.enqueue(cfg.dsl(), new OutgoingEmail("test", "smtp-outage:" + i, "reset" + i + "@example.org", "",
                            null, "Reset " + i, "Your link", null, Map.of()));
                }
            });
            long message = startBlast(app, people);

            // While the relay is away, every attempt fails and the mail stays queued for a later try.
            IntSupplier outboxSent = () -> dsl.fetchCount(OUTBOX, OUTBOX.DEDUPE_KEY.startsWith("smtp-outage:").and(OUTBOX.STATUS.eq("sent")));
            IntSupplier blastSent = () -> dsl.fetchCount(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID.eq(message).and(MESSAGE_DELIVERIES.STATUS.eq("sent")));
            while (System.nanoTime() < outageEnds) {
                assertThat(outboxSent.getAsInt()).isZero();
                assertThat(blastSent.getAsInt()).isZero();
                Thread.sleep(1_000);
            }
            assertThat(dsl.fetchCount(OUTBOX, OUTBOX.DEDUPE_KEY.startsWith("smtp-outage:").and(OUTBOX.STATUS.eq("queued"))
                    .and(OUTBOX.ATTEMPTS.ge(1)).and(OUTBOX.LAST_ERROR.isNotNull()))).as("outbox rows that tried and wait").isEqualTo(emails);
            assertThat(dsl.fetchCount(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID.eq(message)
                    .and(MESSAGE_DELIVERIES.STATUS.eq("queued")).and(MESSAGE_DELIVERIES.LAST_ERROR.isNotNull())))
                    .as("blast deliveries that tried and wait").isEqualTo(people);

            relay = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            relay.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            while ((outboxSent.getAsInt() < emails || blastSent.getAsInt() < people) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(outboxSent.getAsInt()).as("outbox emails sent after the relay returned").isEqualTo(emails);
            assertThat(blastSent.getAsInt()).as("blast emails sent after the relay returned").isEqualTo(people);

            Map<String, Long> received = Arrays.stream(relay.getReceivedMessages())
                    .collect(Collectors.groupingBy(SmtpOutageTest::recipient, Collectors.counting()));
            for (int i = 0; i < emails; i++) assertThat(received.get("reset" + i + "@example.org")).as("reset" + i).isEqualTo(1);
            for (int i = 0; i < people; i++) assertThat(received.get("outage" + i + "@example.org")).as("outage" + i).isEqualTo(1);
            assertThat(received.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(emails + people);
        } finally {
            app.close();
            if (relay != app.smtp) relay.stop();
        }
    }

    /** A blast to {@code people} subscribed parents, sent through the API as an organizer would. */
    private static long startBlast(TestApp app, int people) {
        DSLContext dsl = app.dsl();
        long tag = dsl.insertInto(TAGS).set(TAGS.NAME, "smtp-outage").returningResult(TAGS.ID).fetchSingle().value1();
        dsl.transaction(cfg -> {
            for (int i = 0; i < people; i++) {
                String email = "outage" + i + "@example.org";
                long person = cfg.dsl().insertInto(PEOPLE).set(PEOPLE.EMAIL, email).set(PEOPLE.EMAIL_NORMALIZED, email)
                        .set(PEOPLE.EMAIL_STATUS, "subscribed").set(PEOPLE.REFERRAL_CODE, "smtpout" + i)
                        .returningResult(PEOPLE.ID).fetchSingle().value1();
                cfg.dsl().insertInto(PERSON_TAGS).set(PERSON_TAGS.PERSON_ID, person).set(PERSON_TAGS.TAG_ID, tag).execute();
            }
        });
        String token = TrustFixtures.organizerToken(dsl);
        var created = app.http().json("POST", "/api/v1/messages", token, """
                {"subject": "Board vote on Tuesday", "body": "Come with us.", "targets": [{"tag": "smtp-outage"}]}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        var sent = app.http().json("POST", "/api/v1/messages/" + id + "/send", token, null);
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        return id;
    }

    private static String recipient(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
