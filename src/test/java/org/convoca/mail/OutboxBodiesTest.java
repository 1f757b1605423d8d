package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convoca.db.schema.Tables.OUTBOX;
import static org.convoca.db.schema.Tables.OUTBOX_BODIES;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convoca.Config;
import org.convoca.db.Database;
import org.convoca.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Emails queued as a shared body and their own values: stored once, sent whole. */
class OutboxBodiesTest {
    static final List<String> MARKERS = List.of("zqnmarkerqz", "zqcmarkerqz");
    Database db;

    @BeforeEach
    void start() {
        db = new Database(TestDatabase.fresh(), 4);
    }

    @AfterEach
    void stop() {
        db.close();
    }

    long storeBody(OutboxBodies bodies) {
        return bodies.store(MARKERS, "Hi zqnmarkerqz, share https://x.example/?ref=zqcmarkerqz",
                "<p>Hi zqnmarkerqz</p><a href=\"https://x.example/?ref=zqcmarkerqz\">share</a>");
    }

    OutgoingEmail thanks(long bodyId, String name, String code) {
        return new OutgoingEmail("petition_thanks", "t:" + name, name.split(" ")[0].toLowerCase() + "@example.org", name,
                null, "Thanks", null, null, Map.of(), null,
                new BodyFills(bodyId, List.of(name, code), List.of(name.replace("&", "&amp;"), code)));
    }

    @Test
    void a_body_is_stored_once_whatever_instance_stores_it() {
        long first = storeBody(new OutboxBodies(db.dsl()));
        long again = storeBody(new OutboxBodies(db.dsl()));  // another instance: no cache shared
        assertThat(again).isEqualTo(first);
        assertThat(db.dsl().fetchCount(OUTBOX_BODIES)).isEqualTo(1);
        long other = new OutboxBodies(db.dsl()).store(MARKERS, "Other zqnmarkerqz", null);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void the_sender_gets_the_body_with_each_emails_values_and_the_row_holds_only_those() throws Exception {
        long body = storeBody(new OutboxBodies(db.dsl()));
        db.dsl().transaction(cfg -> Outbox.enqueueAll(cfg.dsl(), List.of(thanks(body, "Ana & Luis", "ab12"),
                thanks(body, "Rosa", "cd34"))).execute());
        var row = db.dsl().selectFrom(OUTBOX).where(OUTBOX.TO_NAME.eq("Rosa")).fetchSingle();
        assertThat(row.getTextBody()).isNull();
        assertThat(row.getBodyId()).isEqualTo(body);

        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            Outbox outbox = new Outbox(db.dsl());
            Config.Smtp cfg = new Config.Smtp(Optional.of("127.0.0.1"), smtp.getSmtp().getPort(), Optional.empty(),
                    Optional.empty(), Config.Smtp.Security.NONE);
            var sender = new OutboxSender(outbox, new SmtpMailer(cfg, "convoca.test"),
                    () -> new Mailer.Sender("organizers@upej.example", "UPEJ"));
            assertThat(sender.drain()).isEqualTo(2);
            MimeMessage[] got = smtp.getReceivedMessages();
            assertThat(got).hasSize(2);
            String ana = GreenMailUtil.getBody(java.util.Arrays.stream(got).filter(m -> {
                try {
                    return m.getAllRecipients()[0].toString().contains("ana@example.org");
                } catch (jakarta.mail.MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }).findFirst().orElseThrow());
            assertThat(ana).contains("Hi Ana & Luis, share https://x.example/?ref=ab12")
                    .contains("<p>Hi Ana &amp; Luis</p>").doesNotContain("marker");
        } finally {
            smtp.stop();
        }
        // The admin's view of the outbox shows the email whole as well.
        assertThat(new Outbox(db.dsl()).find(row.getId()).orElseThrow().htmlBody())
                .isEqualTo("<p>Hi Rosa</p><a href=\"https://x.example/?ref=cd34\">share</a>");
    }

    @Test
    void a_value_that_contains_a_marker_stays_as_typed() {
        OutboxBodies bodies = new OutboxBodies(db.dsl());
        long body = storeBody(bodies);
        OutgoingEmail e = bodies.expanded(thanks(body, "zqcmarkerqz", "ab12"));
        assertThat(e.textBody()).isEqualTo("Hi zqcmarkerqz, share https://x.example/?ref=ab12");
        assertThat(e.fills()).isNull();
    }

    @Test
    void a_row_must_have_either_its_own_parts_or_a_body_and_values() {
        assertThatThrownBy(() -> db.dsl().insertInto(OUTBOX, OUTBOX.KIND, OUTBOX.TO_ADDRESS, OUTBOX.SUBJECT)
                .values("test", "a@example.org", "no parts").execute())
                .hasMessageContaining("outbox_body_check");
    }
}
