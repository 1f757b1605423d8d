package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;
import org.convoca.Config;
import org.junit.jupiter.api.Test;

/**
 * The blast client ({@link PipelinedSmtp}) against a scripted server over real sockets: how the
 * commands travel (grouped with PIPELINING, one at a time without), what each reply means for its
 * email, dot-stuffing, and the login.
 */
class PipelinedSmtpTest {
    private static final SocketWatchdog SOCKETS = new SocketWatchdog(Duration.ofSeconds(5));

    /** Every outcome, in the order reported: "accepted a", "rejected b 550", "unconfirmed c". */
    static final class Outcomes implements PipelinedSmtp.Outcome<String> {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void accepted(String email) {
            seen.add("accepted " + email);
        }

        @Override
        public void rejected(String email, SmtpReplies.Reply reply) {
            seen.add("rejected " + email + " " + reply.code());
        }

        @Override
        public void unconfirmed(String email, String reason) {
            seen.add("unconfirmed " + email);
        }
    }

    private static PipelinedSmtp<String> connect(Config.Smtp cfg, Outcomes outcomes) throws IOException {
        return PipelinedSmtp.connect(cfg, SOCKETS, (SSLSocketFactory) SSLSocketFactory.getDefault(), "client.test", outcomes);
    }

    private static byte[] email(String to) {
        return ("To: " + to + "\r\nSubject: Board meeting\r\n\r\nCome on Tuesday.\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void sendAll(PipelinedSmtp<String> client, String... names) throws Exception {
        for (String name : names) client.send("news@upej.example", name + "@example.org", email(name), name);
        client.finish();
    }

    @Test
    void with_pipelining_each_emails_content_travels_with_the_next_emails_envelope_in_one_write() throws Exception {
        try (var server = new PipeliningSmtpServer("PIPELINING", "SIZE 10000000")) {
            Outcomes outcomes = new Outcomes();
            var client = connect(server.config(), outcomes);
            assertThat(client.pipelining()).isTrue();
            sendAll(client, "ana", "ben", "cleo");
            client.close();

            String size = " SIZE=" + email("ana").length;
            List<List<String>> groups = server.groups(1);
            int first = groups.indexOf(List.of("MAIL FROM:<news@upej.example>" + size, "RCPT TO:<ana@example.org>", "DATA"));
            assertThat(first).as("MAIL, RCPT and DATA in one write: %s", groups).isPositive();
            assertThat(groups.subList(first + 1, groups.size())).containsExactly(
                    List.of(".", "MAIL FROM:<news@upej.example>" + size, "RCPT TO:<ben@example.org>", "DATA"),
                    List.of(".", "MAIL FROM:<news@upej.example> SIZE=" + email("cleo").length, "RCPT TO:<cleo@example.org>", "DATA"),
                    List.of("."),
                    List.of("QUIT"));
            assertThat(server.violations).isEmpty();
            assertThat(outcomes.seen).containsExactly("accepted ana", "accepted ben", "accepted cleo");
            assertThat(server.received).extracting(r -> new String(r.content(), StandardCharsets.UTF_8))
                    .containsExactly(new String(email("ana"), StandardCharsets.UTF_8), new String(email("ben"), StandardCharsets.UTF_8),
                            new String(email("cleo"), StandardCharsets.UTF_8));
        }
    }

    @Test
    void a_550_at_rcpt_fails_that_email_and_the_next_one_still_goes_after_a_reset() throws Exception {
        try (var server = new PipeliningSmtpServer("PIPELINING")) {
            server.atRcpt.put("gone", "550 5.1.1 no such user");
            Outcomes outcomes = new Outcomes();
            var client = connect(server.config(), outcomes);
            sendAll(client, "ana", "gone", "cleo");
            client.close();

            assertThat(outcomes.seen).containsExactly("accepted ana", "rejected gone 550", "accepted cleo");
            assertThat(server.received).extracting(r -> r.to().get(0)).containsExactly("ana@example.org", "cleo@example.org");
            assertThat(server.groups(1)).contains(List.of("RSET", "MAIL FROM:<news@upej.example>", "RCPT TO:<cleo@example.org>", "DATA"));
            assertThat(server.violations).isEmpty();
        }
    }

    @Test
    void a_refused_recipient_whose_data_is_accepted_anyway_gets_a_lone_dot_and_is_not_delivered() throws Exception {
        try (var server = new PipeliningSmtpServer("PIPELINING")) {
            server.atRcpt.put("gone", "550 5.1.1 no such user");
            server.dataWithoutRecipients = true;
            Outcomes outcomes = new Outcomes();
            var client = connect(server.config(), outcomes);
            sendAll(client, "gone", "ben");
            client.close();

            assertThat(outcomes.seen).containsExactly("rejected gone 550", "accepted ben");
            assertThat(server.received).extracting(r -> r.to().get(0)).containsExactly("ben@example.org");
        }
    }

    @Test
    void a_451_at_the_end_of_data_is_reported_as_that_emails_temporary_refusal() throws Exception {
        try (var server = new PipeliningSmtpServer("PIPELINING")) {
            server.atEnd.put("busy", "451 4.3.0 try again later");
            Outcomes outcomes = new Outcomes();
            var client = connect(server.config(), outcomes);
            sendAll(client, "busy", "ben", "busy2");
            client.close();

            assertThat(outcomes.seen).containsExactly("rejected busy 451", "accepted ben", "rejected busy2 451");
        }
    }

    @Test
    void a_connection_lost_before_the_reply_to_the_dot_leaves_the_email_unconfirmed_never_accepted() throws Exception {
        try (var server = new PipeliningSmtpServer("PIPELINING")) {
            server.dropAtEnd.add("ben");
            Outcomes outcomes = new Outcomes();
            var client = connect(server.config(), outcomes);
            client.send("news@upej.example", "ana@example.org", email("ana"), "ana");
            client.send("news@upej.example", "ben@example.org", email("ben"), "ben");
            // Written with ben's content; the replies to that write are read before the next one.
            client.send("news@upej.example", "cleo@example.org", email("cleo"), "cleo");
            assertThatThrownBy(() -> client.send("news@upej.example", "dan@example.org", email("dan"), "dan"))
                    .isInstanceOf(IOException.class);

            assertThat(outcomes.seen).containsExactly("accepted ana", "unconfirmed ben", "unconfirmed cleo", "unconfirmed dan");
            assertThatThrownBy(() -> client.send("news@upej.example", "eve@example.org", email("eve"), "eve"))
                    .as("the broken connection takes nothing more").isInstanceOf(IOException.class);
            client.close();
            assertThat(outcomes.seen).hasSize(5).endsWith("unconfirmed eve");
        }
    }

    @Test
    void body_lines_that_start_with_a_dot_arrive_intact_after_unstuffing() throws Exception {
        try (var server = new PipeliningSmtpServer("PIPELINING")) {
            String body = ".starts the message\r\nSubject: dots\r\n\r\n.\r\n..two\r\nmid.dle\r\n. space\r\nbare\nend.";
            Outcomes outcomes = new Outcomes();
            var client = connect(server.config(), outcomes);
            client.send("news@upej.example", "ana@example.org", body.getBytes(StandardCharsets.UTF_8), "ana");
            client.send("news@upej.example", "ben@example.org", ".\r\n".getBytes(StandardCharsets.UTF_8), "ben");
            client.finish();
            client.close();

            assertThat(outcomes.seen).containsExactly("accepted ana", "accepted ben");
            assertThat(new String(server.received.get(0).content(), StandardCharsets.UTF_8))
                    .as("the same lines, a bare LF made CRLF, and a CRLF before the final dot")
                    .isEqualTo(".starts the message\r\nSubject: dots\r\n\r\n.\r\n..two\r\nmid.dle\r\n. space\r\nbare\r\nend.\r\n");
            assertThat(new String(server.received.get(1).content(), StandardCharsets.UTF_8)).isEqualTo(".\r\n");
        }
    }

    @Test
    void without_pipelining_every_command_waits_for_its_reply() throws Exception {
        try (var server = new PipeliningSmtpServer("SIZE 10000000")) {
            server.atRcpt.put("gone", "550 5.1.1 no such user");
            Outcomes outcomes = new Outcomes();
            var client = connect(server.config(), outcomes);
            assertThat(client.pipelining()).isFalse();
            sendAll(client, "ana", "gone", "cleo");
            client.close();

            assertThat(outcomes.seen).containsExactly("accepted ana", "rejected gone 550", "accepted cleo");
            assertThat(server.violations).isEmpty();
            assertThat(server.groups(1)).allMatch(g -> g.size() == 1);
            assertThat(server.groups(1)).contains(List.of("RSET"));
            assertThat(server.received).hasSize(2);
        }
    }

    @Test
    void auth_plain_sends_the_configured_username_and_password() throws Exception {
        try (var server = new PipeliningSmtpServer("PIPELINING", "AUTH LOGIN PLAIN")) {
            var cfg = new Config.Smtp(Optional.of("127.0.0.1"), server.port(), Optional.of("mailer@upej.example"),
                    Optional.of("s3cret pass"), Config.Smtp.Security.NONE);
            var client = connect(cfg, new Outcomes());
            sendAll(client, "ana");
            client.close();

            assertThat(server.logins).containsExactly("mailer@upej.example:s3cret pass");
            assertThat(server.lines).filteredOn(l -> l.text().startsWith("AUTH")).extracting(PipeliningSmtpServer.Line::text)
                    .allMatch(t -> t.startsWith("AUTH PLAIN "));
            assertThat(server.received).hasSize(1);
        }
    }

    @Test
    void auth_login_is_used_when_plain_is_not_offered() throws Exception {
        try (var server = new PipeliningSmtpServer("AUTH LOGIN")) {
            var cfg = new Config.Smtp(Optional.of("127.0.0.1"), server.port(), Optional.of("mailer"),
                    Optional.of("pw"), Config.Smtp.Security.NONE);
            connect(cfg, new Outcomes()).close();
            assertThat(server.logins).containsExactly("mailer:pw");
        }
    }

    @Test
    void starttls_that_the_server_does_not_offer_fails_the_connection_before_any_mail() throws Exception {
        try (var server = new PipeliningSmtpServer("PIPELINING")) {
            var cfg = new Config.Smtp(Optional.of("127.0.0.1"), server.port(), Optional.empty(), Optional.empty(),
                    Config.Smtp.Security.STARTTLS);
            assertThatThrownBy(() -> connect(cfg, new Outcomes())).isInstanceOf(IOException.class).hasMessageContaining("STARTTLS");
            assertThat(server.lines).noneMatch(l -> l.text().startsWith("MAIL"));
        }
    }

    @Test
    void an_address_with_a_line_break_is_refused_before_anything_is_written() throws Exception {
        try (var server = new PipeliningSmtpServer("PIPELINING")) {
            Outcomes outcomes = new Outcomes();
            var client = connect(server.config(), outcomes);
            assertThatThrownBy(() -> client.send("news@upej.example", "ana@example.org>\r\nRCPT TO:<x@evil.example", email("x"), "x"))
                    .isInstanceOf(PipelinedSmtp.BadAddress.class);
            sendAll(client, "ben");
            client.close();
            assertThat(server.lines).noneMatch(l -> l.text().contains("evil"));
            assertThat(outcomes.seen).containsExactly("accepted ben");
        }
    }
}
