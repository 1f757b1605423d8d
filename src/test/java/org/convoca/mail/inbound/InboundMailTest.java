package org.convoca.mail.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.convoca.db.AppSecrets;
import org.convoca.db.Database;
import org.convoca.mail.LinkSigner;
import org.convoca.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a message in the bounce inbox means, without a mailbox: the parsing and the address checks. */
class InboundMailTest {
    static Database db;
    static LinkSigner signer;
    static ReturnPath returnPath;
    static InboundMail inbound;

    @BeforeAll
    static void start() {
        db = new Database(TestDatabase.fresh(), 2);
        signer = new LinkSigner(new AppSecrets(db.dsl()), "https://convoca.example");
        returnPath = new ReturnPath(signer, "Bounce.Test");
        inbound = new InboundMail(returnPath);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    static InboundMail.Verdict classify(jakarta.mail.internet.MimeMessage m) throws Exception {
        return inbound.classify(m);
    }

    @Test
    void a_signed_address_gives_back_its_delivery_and_nothing_else_does() {
        String bounce = returnPath.address(ReturnPath.Kind.BOUNCE, 42);
        assertThat(returnPath.deliveryOf(bounce, ReturnPath.Kind.BOUNCE)).isEqualTo(42);
        assertThat(returnPath.deliveryOf("<" + bounce.toUpperCase() + ">", ReturnPath.Kind.BOUNCE)).isEqualTo(42);
        // Another domain, another id, another kind of address is not ours.
        assertThat(returnPath.deliveryOf(bounce, ReturnPath.Kind.UNSUBSCRIBE)).isEqualTo(-1);
        assertThat(returnPath.deliveryOf(bounce.replace("@bounce.test", "@other.test"), ReturnPath.Kind.BOUNCE)).isEqualTo(-1);
        assertThat(returnPath.deliveryOf(bounce.replace("+42.", "+43."), ReturnPath.Kind.BOUNCE)).isEqualTo(-1);
        assertThat(returnPath.deliveryOf("bounces+@bounce.test", ReturnPath.Kind.BOUNCE)).isEqualTo(-1);
        assertThat(returnPath.deliveryOf("not an address", ReturnPath.Kind.BOUNCE)).isEqualTo(-1);
    }

    @Test
    void a_permanent_failure_among_several_recipients_is_a_hard_bounce() throws Exception {
        String rp = returnPath.address(ReturnPath.Kind.BOUNCE, 7);
        // Two recipient blocks: one delivered, one failed with a comment after the code.
        var dsn = ReturnedMail.parse(raw(rp, """
                Reporting-MTA: dns; mx.example.net

                Final-Recipient: rfc822; ana@example.org
                Action: delivered
                Status: 2.0.0


                Final-Recipient: rfc822; ana@example.org
                Action: Failed
                Status: 5.2.1 (mailbox disabled)
                """, "message/delivery-status"));
        InboundMail.Verdict v = classify(dsn);
        assertThat(v.kind()).isEqualTo(InboundMail.Kind.HARD_BOUNCE);
        assertThat(v.deliveryId()).isEqualTo(7);
        assertThat(v.detail()).isEqualTo("5.2.1");
    }

    @Test
    void a_transient_failure_is_soft_and_an_internationalised_report_is_read_too() throws Exception {
        String rp = returnPath.address(ReturnPath.Kind.BOUNCE, 8);
        var v = classify(ReturnedMail.parse(raw(rp, """
                Reporting-MTA: dns; mx.example.net

                Final-Recipient: rfc822; ana@example.org
                Action: failed
                Status: 4.2.2
                """, "message/global-delivery-status")));
        assertThat(v.kind()).isEqualTo(InboundMail.Kind.SOFT_BOUNCE);
        assertThat(v.detail()).isEqualTo("4.2.2");
    }

    @Test
    void a_failure_without_a_readable_status_counts_as_permanent() {
        var blocks = new jakarta.mail.internet.InternetHeaders();
        blocks.addHeader("Action", "failed");
        blocks.addHeader("Status", "garbage");
        assertThat(InboundMail.failureStatus(java.util.List.of(blocks))).isEqualTo("5.0.0");
    }

    @Test
    void an_auto_reply_to_the_return_path_is_not_a_bounce() throws Exception {
        var v = classify(ReturnedMail.parse("""
                From: ana@example.org
                To: %s
                Subject: Out of office
                Auto-Submitted: auto-replied
                Content-Type: text/plain

                I am away until Monday.
                """.formatted(returnPath.address(ReturnPath.Kind.BOUNCE, 9))));
        assertThat(v.kind()).isEqualTo(InboundMail.Kind.NOT_OURS);
        assertThat(v.acts()).isFalse();
    }

    @Test
    void a_not_spam_feedback_report_changes_nothing() throws Exception {
        String rp = returnPath.address(ReturnPath.Kind.BOUNCE, 10);
        var report = ReturnedMail.parse(raw(rp, """
                Feedback-Type: not-spam
                Version: 1
                Original-Mail-From: <%s>
                """.formatted(rp), "message/feedback-report").replace("delivery-status;", "feedback-report;"));
        assertThat(classify(report).kind()).isEqualTo(InboundMail.Kind.NOT_OURS);
    }

    @Test
    void an_unsubscribe_email_to_a_forged_address_is_reported_as_forged() throws Exception {
        String genuine = returnPath.address(ReturnPath.Kind.UNSUBSCRIBE, 11);
        assertThat(classify(ReturnedMail.unsubscribeEmail(genuine, "ana@example.org")).deliveryId()).isEqualTo(11);
        var forged = classify(ReturnedMail.unsubscribeEmail(genuine.replace("+11.", "+12."), "ana@example.org"));
        assertThat(forged.kind()).isEqualTo(InboundMail.Kind.FORGED);
        assertThat(forged.acts()).isFalse();
    }

    @Test
    void settings_that_cannot_work_stop_the_app_with_a_clear_message_and_no_password() {
        assertThatThrownBy(() -> new InboundWiring(db.dsl(), signer, Map.of("BOUNCE_DOMAIN", "not a domain")))
                .hasMessageContaining("BOUNCE_DOMAIN");
        assertThatThrownBy(() -> new InboundWiring(db.dsl(), signer, Map.of("BOUNCE_MAILBOX_URL", "imap://u:pw@host/INBOX")))
                .hasMessageContaining("needs BOUNCE_DOMAIN");
        assertThatThrownBy(() -> new InboundWiring(db.dsl(), signer, Map.of("BOUNCE_DOMAIN", "bounce.test",
                "BOUNCE_MAILBOX_URL", "http://u:hunter2@host/")))
                .hasMessageContaining("imap://").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> new InboundWiring(db.dsl(), signer, Map.of("BOUNCE_DOMAIN", "bounce.test",
                "BOUNCE_MAILBOX_URL", "imap://u:hunter2@host:notaport/INBOX")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2");
        assertThat(new InboundWiring(db.dsl(), signer, Map.of()).returnPath()).isEmpty();
        assertThat(new InboundWiring(db.dsl(), signer, Map.of("BOUNCE_DOMAIN", "bounce.test")).poller()).isEmpty();
    }

    /** A minimal multipart/report around one report part. */
    private static String raw(String to, String report, String type) {
        return """
                From: MAILER-DAEMON@mx.example.net
                To: %s
                Subject: Delivery Status Notification
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b"

                --b
                Content-Type: text/plain

                Could not deliver.
                --b
                Content-Type: %s

                %s
                --b--
                """.formatted(to, type, report);
    }
}
