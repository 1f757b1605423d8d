package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.OUTBOX;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.convoca.Config;
import org.convoca.db.Database;
import org.convoca.testsupport.TestDatabase;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox against a real SMTP server (GreenMail): delivery, retries, and no double sends. */
class OutboxDeliveryTest {
    Database db;
    GreenMail smtp;
    Outbox outbox;

    @BeforeEach
    void start() {
        db = new Database(TestDatabase.fresh(), 8);
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        outbox = new Outbox(db.dsl());
    }

    @AfterEach
    void stop() {
        smtp.stop();
        db.close();
    }

    OutboxSender sender(int port) {
        Config.Smtp cfg = new Config.Smtp(Optional.of("127.0.0.1"), port, Optional.empty(), Optional.empty(), Config.Smtp.Security.NONE);
        return new OutboxSender(outbox, new SmtpMailer(cfg, "convoca.test"),
                () -> new Mailer.Sender("organizers@upej.example", "UPEJ"));
    }

    void queue(DSLContext tx, int i) {
        Outbox.enqueue(tx, new OutgoingEmail("test", "test:" + i, "parent" + i + "@example.org", "Parent Ñandú " + i,
                null, "Reunión del consejo " + i, "Hola " + i, "<p>Hola " + i + "</p>", Map.of()));
    }

    @Test
    void queued_mail_is_delivered_once_as_utf8_multipart_with_a_message_id() throws Exception {
        db.dsl().transaction(cfg -> queue(cfg.dsl(), 1));
        assertThat(sender(smtp.getSmtp().getPort()).drain()).isEqualTo(1);
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage m = received[0];
        assertThat(m.getSubject()).isEqualTo("Reunión del consejo 1");
        assertThat(m.getFrom()[0].toString()).contains("UPEJ").contains("organizers@upej.example");
        assertThat(m.getContentType()).startsWith("multipart/alternative");
        assertThat(m.getMessageID()).endsWith("@convoca.test>");
        var row = db.dsl().selectFrom(OUTBOX).fetchOne();
        assertThat(row.getStatus()).isEqualTo("sent");
        assertThat(row.getMessageId()).isEqualTo(m.getMessageID());
        assertThat(sender(smtp.getSmtp().getPort()).drain()).as("nothing left to send").isZero();
    }

    @Test
    void a_rolled_back_transaction_leaves_no_mail() {
        try {
            db.dsl().transaction(cfg -> {
                queue(cfg.dsl(), 2);
                throw new IllegalStateException("the signature failed");
            });
        } catch (IllegalStateException expected) {
            // the event and its mail go together
        }
        assertThat(db.dsl().fetchCount(OUTBOX)).isZero();
    }

    @Test
    void the_same_dedupe_key_queues_one_email() {
        db.dsl().transaction(cfg -> queue(cfg.dsl(), 3));
        db.dsl().transaction(cfg -> queue(cfg.dsl(), 3));
        assertThat(db.dsl().fetchCount(OUTBOX)).isEqualTo(1);
    }

    @Test
    void when_smtp_is_down_mail_waits_with_backoff_and_goes_out_once_it_is_back() throws Exception {
        db.dsl().transaction(cfg -> queue(cfg.dsl(), 4));
        int port = smtp.getSmtp().getPort();
        smtp.stop();
        assertThat(sender(port).drain()).isEqualTo(1);
        var waiting = db.dsl().selectFrom(OUTBOX).fetchOne();
        assertThat(waiting.getStatus()).isEqualTo("queued");
        assertThat(waiting.getAttempts()).isEqualTo(1);
        assertThat(waiting.getLastError()).contains("SMTP connection");
        assertThat(waiting.getNextAttemptAt()).isAfter(OffsetDateTime.now().plusSeconds(20));

        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        assertThat(sender(port).drain()).as("not yet due").isZero();
        db.dsl().update(OUTBOX).set(OUTBOX.NEXT_ATTEMPT_AT, OffsetDateTime.now()).execute();
        assertThat(sender(port).drain()).isEqualTo(1);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(db.dsl().selectFrom(OUTBOX).fetchOne().getStatus()).isEqualTo("sent");
    }

    @Test
    void a_row_whose_sender_died_is_claimed_again_after_its_lease() {
        db.dsl().transaction(cfg -> queue(cfg.dsl(), 5));
        List<OutboxMessage> claimed = outbox.claimDue(10, Duration.ofMinutes(5));
        assertThat(claimed).hasSize(1);
        assertThat(outbox.claimDue(10, Duration.ofMinutes(5))).as("leased rows are not claimed twice").isEmpty();
        db.dsl().update(OUTBOX).set(OUTBOX.LOCKED_UNTIL, OffsetDateTime.now().minusSeconds(1)).execute();
        assertThat(sender(smtp.getSmtp().getPort()).drain()).isEqualTo(1);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void four_senders_draining_together_send_each_email_exactly_once() throws Exception {
        db.dsl().transaction(cfg -> {
            for (int i = 100; i < 400; i++) queue(cfg.dsl(), i);
        });
        var pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            OutboxSender s = sender(smtp.getSmtp().getPort());
            results.add(pool.submit((Callable<Integer>) s::drain));
        }
        int total = 0;
        for (Future<Integer> f : results) total += f.get();
        pool.shutdown();
        assertThat(total).isEqualTo(300);
        assertThat(smtp.getReceivedMessages()).hasSize(300);
        assertThat(java.util.Arrays.stream(smtp.getReceivedMessages()).map(m -> {
            try {
                return m.getSubject();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).distinct().count()).isEqualTo(300);
        assertThat(db.dsl().fetchCount(OUTBOX, OUTBOX.STATUS.eq("sent"))).isEqualTo(300);
    }

    @Test
    void backoff_grows_and_is_capped_at_an_hour() {
        assertThat(Outbox.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Outbox.backoff(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(Outbox.backoff(7)).isEqualTo(Duration.ofMinutes(32));
        assertThat(Outbox.backoff(8)).isEqualTo(Duration.ofHours(1));
        assertThat(Outbox.backoff(20)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void header_values_cannot_start_new_headers() {
        assertThat(SmtpMailer.oneLine("Ana\r\nBcc: victim@example.org")).isEqualTo("Ana Bcc: victim@example.org");
    }
}
