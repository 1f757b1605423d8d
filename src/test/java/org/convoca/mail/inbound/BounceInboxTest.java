package org.convoca.mail.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.INBOUND_MAIL_EVENTS;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;
import static org.convoca.db.schema.Tables.TAGS;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convoca.db.AppSecrets;
import org.convoca.mail.BlastSender;
import org.convoca.mail.LinkSigner;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bounce inbox end to end: a real blast through GreenMail's SMTP with its VERP return path,
 * returned mail delivered into GreenMail's IMAP and POP3 inboxes, read by the real poller.
 */
class BounceInboxTest {
    static final String DOMAIN = "bounce.test";
    static TestApp app;
    static GreenMail inbox;
    static String token;
    static BlastSender sender;
    static LinkSigner signer;
    static int seq;

    @BeforeAll
    static void start() {
        app = TestApp.startWithEnvironment(Map.of("BOUNCE_DOMAIN", DOMAIN));
        inbox = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3)});
        inbox.start();
        token = app.apiKey(app.createUser("api-" + System.nanoTime() + "@example.org", "organizer"));
        sender = app.app.blastSender().orElseThrow();
        sender.close();   // the test drains on its own thread
        signer = new LinkSigner(new AppSecrets(app.dsl()), app.baseUrl);
        app.dsl().execute("update organization set postal_address = '123 Main St, Springfield'");
    }

    @AfterAll
    static void stop() {
        inbox.stop();
        app.close();
    }

    @BeforeEach
    void empty() throws Exception {
        inbox.purgeEmailFromAllMailboxes();
        app.smtp.purgeEmailFromAllMailboxes();
    }

    /** A poller as the app builds it, on a mailbox of its own (a user per protocol and test). */
    static BouncePoller poller(String protocol, GreenMailUser user) {
        int port = protocol.equals("imap") ? inbox.getImap().getPort() : inbox.getPop3().getPort();
        return new InboundWiring(app.dsl(), signer, Map.of("BOUNCE_DOMAIN", DOMAIN,
                "BOUNCE_MAILBOX_URL", protocol + "://" + user.getLogin() + "@127.0.0.1:" + port + "/INBOX",
                "BOUNCE_MAILBOX_PASSWORD", user.getPassword())).poller().orElseThrow();
    }

    static GreenMailUser user() {
        String login = "bounces" + (++seq);
        return inbox.setUser(login + "@" + DOMAIN, login, "secret-" + seq);
    }

    static int inInbox(GreenMailUser user) throws Exception {
        return inbox.getManagers().getImapHostManager().getInbox(user).getMessageCount();
    }

    static long person(String email) {
        long id = app.dsl().insertInto(PEOPLE).set(PEOPLE.EMAIL, email).set(PEOPLE.EMAIL_NORMALIZED, email.toLowerCase())
                .set(PEOPLE.GIVEN_NAME, "Ana").set(PEOPLE.LANGUAGE, "en").set(PEOPLE.EMAIL_STATUS, "subscribed")
                .set(PEOPLE.REFERRAL_CODE, "r" + System.nanoTime()).returningResult(PEOPLE.ID).fetchSingle().value1();
        Long tag = app.dsl().select(TAGS.ID).from(TAGS).where(TAGS.NAME.eq("bounce-test")).fetchOne(TAGS.ID);
        if (tag == null) tag = app.dsl().insertInto(TAGS).set(TAGS.NAME, "bounce-test").returningResult(TAGS.ID).fetchSingle().value1();
        app.dsl().insertInto(PERSON_TAGS).set(PERSON_TAGS.PERSON_ID, id).set(PERSON_TAGS.TAG_ID, tag).execute();
        return id;
    }

    /** Sends a blast to the test tag through the real pipeline; returns the message id. */
    static long blast() throws Exception {
        var created = app.http().json("POST", "/api/v1/messages", token, """
                {"subject": "Board meeting", "body": "Come on Tuesday.", "targets": [{"tag": "bounce-test"}]}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        var sent = app.http().json("POST", "/api/v1/messages/" + id + "/send", token, null);
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        sender.drain();
        return id;
    }

    static List<MimeMessage> received(String address) {
        return app.mailTo(address);
    }

    /** The envelope sender the SMTP server was given (GreenMail records it as Return-Path). */
    static String returnPath(String to) throws Exception {
        List<MimeMessage> mail = received(to);
        assertThat(mail).hasSize(1);
        return mail.get(0).getHeader("Return-Path", null).replaceAll("[<>]", "").strip();
    }

    static String status(long personId) {
        return app.dsl().select(PEOPLE.EMAIL_STATUS).from(PEOPLE).where(PEOPLE.ID.eq(personId)).fetchSingle().value1();
    }

    static List<String> consentMethods(long personId) {
        return app.dsl().select(CONSENTS.METHOD).from(CONSENTS).where(CONSENTS.PERSON_ID.eq(personId)).orderBy(CONSENTS.ID)
                .fetch(CONSENTS.METHOD);
    }

    @Test
    void a_blast_goes_out_with_a_signed_verp_return_path_and_its_own_mailto_unsubscribe_address() throws Exception {
        long ana = person("verp-1@example.org");
        blast();
        long delivery = app.dsl().select(MESSAGE_DELIVERIES.ID).from(MESSAGE_DELIVERIES)
                .where(MESSAGE_DELIVERIES.PERSON_ID.eq(ana)).fetchSingle().value1();
        String rp = returnPath("verp-1@");
        assertThat(rp).matches("bounces\\+" + delivery + "\\.[0-9a-f]{24}@bounce\\.test");
        assertThat(received("verp-1@").get(0).getHeader("List-Unsubscribe", null))
                .contains("<mailto:unsubscribe+" + delivery + ".").contains("@bounce.test?subject=unsubscribe>");
    }

    @Test
    void a_hard_bounce_marks_the_person_bouncing_and_the_next_blast_skips_them() throws Exception {
        long ana = person("hard-1@example.org");
        long other = person("hard-2@example.org");
        blast();
        GreenMailUser box = user();
        box.deliver(ReturnedMail.dsn(returnPath("hard-1@"), "hard-1@example.org", "failed", "5.1.1"));

        BouncePoller.Poll poll = poller("imap", box).pollOnce();

        assertThat(poll.counts()).containsEntry(InboundMail.Kind.HARD_BOUNCE, 1);
        assertThat(status(ana)).isEqualTo("bouncing");
        assertThat(consentMethods(ana)).containsExactly("bounce");
        assertThat(status(other)).isEqualTo("subscribed");
        assertThat(inInbox(box)).isZero();   // processed mail is deleted

        app.smtp.purgeEmailFromAllMailboxes();
        blast();
        assertThat(received("hard-1@")).isEmpty();
        assertThat(received("hard-2@")).hasSize(1);
    }

    @Test
    void an_arf_complaint_read_over_pop3_marks_the_person_spam_complaint() throws Exception {
        long ana = person("arf-1@example.org");
        blast();
        GreenMailUser box = user();
        box.deliver(ReturnedMail.complaint(returnPath("arf-1@"), "arf-1@example.org"));

        BouncePoller.Poll poll = poller("pop3", box).pollOnce();

        assertThat(poll.counts()).containsEntry(InboundMail.Kind.COMPLAINT, 1);
        assertThat(status(ana)).isEqualTo("spam_complaint");
        assertThat(consentMethods(ana)).containsExactly("complaint");
        assertThat(inInbox(box)).isZero();
        // The organizer sees it on the person's timeline.
        String page = app.signedIn("organizer").page("/admin/people/" + ana).body();
        assertThat(page).contains("Marked an email as spam");
    }

    @Test
    void a_soft_bounce_is_counted_but_does_not_stop_mail_until_it_keeps_happening() throws Exception {
        long ana = person("soft-1@example.org");
        GreenMailUser box = user();
        BouncePoller poller = poller("imap", box);
        for (int i = 1; i <= InboundEvents.SOFT_BOUNCE_LIMIT; i++) {
            app.smtp.purgeEmailFromAllMailboxes();
            blast();
            box.deliver(ReturnedMail.dsn(returnPath("soft-1@"), "soft-1@example.org", "failed", "4.2.2"));
            assertThat(poller.pollOnce().counts()).containsEntry(InboundMail.Kind.SOFT_BOUNCE, 1);
            if (i < InboundEvents.SOFT_BOUNCE_LIMIT) assertThat(status(ana)).as("after %d soft bounces", i).isEqualTo("subscribed");
        }
        assertThat(status(ana)).isEqualTo("bouncing");
        assertThat(app.dsl().fetchCount(INBOUND_MAIL_EVENTS, INBOUND_MAIL_EVENTS.PERSON_ID.eq(ana)))
                .isEqualTo(InboundEvents.SOFT_BOUNCE_LIMIT);
    }

    @Test
    void a_delay_notice_changes_nothing_and_stays_in_the_inbox_for_a_person() throws Exception {
        long ana = person("delay-1@example.org");
        blast();
        GreenMailUser box = user();
        box.deliver(ReturnedMail.dsn(returnPath("delay-1@"), "delay-1@example.org", "delayed", "4.4.1"));

        assertThat(poller("imap", box).pollOnce().counts()).containsEntry(InboundMail.Kind.NOT_OURS, 1);
        assertThat(status(ana)).isEqualTo("subscribed");
        assertThat(app.dsl().fetchCount(INBOUND_MAIL_EVENTS, INBOUND_MAIL_EVENTS.PERSON_ID.eq(ana))).isZero();
        assertThat(inInbox(box)).isEqualTo(1);   // kept, flagged \Seen
        assertThat(poller("imap", box).pollOnce().total()).isZero();                  // and not read again
    }

    @Test
    void a_malformed_report_is_left_for_a_person_and_does_not_block_the_mail_after_it() throws Exception {
        long ana = person("broken-1@example.org");
        blast();
        GreenMailUser box = user();
        box.deliver(ReturnedMail.parse("""
                From: MAILER-DAEMON@mx.example.net
                To: %s
                Subject: Undelivered Mail
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status

                no boundary, no parts
                """.formatted(returnPath("broken-1@"))));
        box.deliver(ReturnedMail.dsn(returnPath("broken-1@"), "broken-1@example.org", "failed", "5.1.1"));

        var counts = poller("imap", box).pollOnce().counts();

        assertThat(counts).containsEntry(InboundMail.Kind.NOT_OURS, 1).containsEntry(InboundMail.Kind.HARD_BOUNCE, 1);
        assertThat(status(ana)).isEqualTo("bouncing");
        assertThat(inInbox(box)).isEqualTo(1);
    }

    @Test
    void a_bounce_to_a_forged_return_path_is_ignored() throws Exception {
        long ana = person("forged-1@example.org");
        blast();
        String genuine = returnPath("forged-1@");
        long delivery = Long.parseLong(genuine.replaceAll("^bounces\\+(\\d+)\\..*$", "$1"));
        GreenMailUser box = user();
        // Someone who knows the scheme but not the key: right shape, other signatures.
        box.deliver(ReturnedMail.dsn("bounces+" + delivery + ".0123456789abcdef01234567@" + DOMAIN,
                "forged-1@example.org", "failed", "5.1.1"));
        box.deliver(ReturnedMail.dsn("bounces+" + delivery + "@" + DOMAIN, "forged-1@example.org", "failed", "5.1.1"));
        box.deliver(ReturnedMail.complaint("bounces+" + (delivery + 1) + genuine.substring(genuine.indexOf('.')),
                "forged-1@example.org"));

        assertThat(poller("imap", box).pollOnce().counts()).containsEntry(InboundMail.Kind.FORGED, 3);
        assertThat(status(ana)).isEqualTo("subscribed");
        assertThat(consentMethods(ana)).isEmpty();
    }

    @Test
    void an_email_to_the_mailto_unsubscribe_address_unsubscribes_the_person_by_email() throws Exception {
        long ana = person("mailto-1@example.org");
        long id = blast();
        String header = received("mailto-1@").get(0).getHeader("List-Unsubscribe", null);
        Matcher m = Pattern.compile("<mailto:([^?>]+)").matcher(header);
        assertThat(m.find()).isTrue();
        GreenMailUser box = user();
        box.deliver(ReturnedMail.unsubscribeEmail(m.group(1), "mailto-1@example.org"));

        assertThat(poller("imap", box).pollOnce().counts()).containsEntry(InboundMail.Kind.UNSUBSCRIBE, 1);
        assertThat(status(ana)).isEqualTo("unsubscribed");
        assertThat(consentMethods(ana)).containsExactly("email");
        var stats = app.http().json("GET", "/api/v1/messages/" + id, token, null).json().get("statistics");
        assertThat(stats.get("unsubscribed").asInt()).isEqualTo(1);
    }

    @Test
    void while_another_instance_holds_the_lease_the_poller_reads_nothing() throws Exception {
        long ana = person("lease-1@example.org");
        blast();
        GreenMailUser box = user();
        box.deliver(ReturnedMail.dsn(returnPath("lease-1@"), "lease-1@example.org", "failed", "5.1.1"));
        JobLease other = new JobLease(app.dsl(), "bounce-inbox", "another-instance");
        assertThat(other.tryAcquire(Duration.ofMinutes(5))).isTrue();

        BouncePoller.Poll poll = poller("imap", box).pollOnce();

        assertThat(poll.leased()).isFalse();
        assertThat(status(ana)).isEqualTo("subscribed");
        assertThat(inInbox(box)).isEqualTo(1);
        other.release();
        assertThat(poller("imap", box).pollOnce().counts()).containsEntry(InboundMail.Kind.HARD_BOUNCE, 1);
        assertThat(status(ana)).isEqualTo("bouncing");
    }

    @Test
    void two_pollers_started_together_process_each_returned_message_once() throws Exception {
        List<Long> people = new ArrayList<>();
        for (int i = 0; i < 12; i++) people.add(person("twice-" + i + "@example.org"));
        blast();
        GreenMailUser box = user();
        for (int i = 0; i < 12; i++) {
            box.deliver(ReturnedMail.dsn(returnPath("twice-" + i + "@"), "twice-" + i + "@example.org", "failed", "5.1.1"));
        }
        BouncePoller a = poller("imap", box);
        BouncePoller b = poller("imap", box);
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<BouncePoller.Poll>> both = List.of(() -> {
                together.await();
                return a.pollOnce();
            }, () -> {
                together.await();
                return b.pollOnce();
            });
            int handled = 0;
            for (Future<BouncePoller.Poll> f : pool.invokeAll(both)) handled += f.get().total();
            assertThat(handled).isEqualTo(12);
        } finally {
            pool.shutdownNow();
        }
        for (long p : people) {
            assertThat(status(p)).isEqualTo("bouncing");
            assertThat(consentMethods(p)).containsExactly("bounce");
        }
        assertThat(inInbox(box)).isZero();
    }
}
