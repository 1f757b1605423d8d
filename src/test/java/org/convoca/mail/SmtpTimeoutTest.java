package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.convoca.Config;
import org.junit.jupiter.api.Test;

/**
 * The SMTP timeouts ({@link SocketWatchdog}): a server that stops reading, or stops answering,
 * must not hang the sender. The send fails as a temporary error once the write or read has been
 * stuck for the timeout; a connection idle between sends is not cut off.
 */
class SmtpTimeoutTest {

    static OutboxMessage message(long id, String body) {
        return new OutboxMessage(id, "test", "parent@example.org", "Parent", null, null, null, "Hello", body, null,
                Map.of(), "queued", 0, null, null, null, null);
    }

    @Test
    void a_server_that_stops_reading_fails_the_send_after_the_timeout() throws Exception {
        // Far more than the socket buffers on both ends hold, so the write blocks.
        stalls(new ScriptedSmtpServer(ScriptedSmtpServer.AtData.STOP_READING), "A line of the letter to the school board.\n".repeat(800_000));
    }

    @Test
    void a_server_that_never_answers_the_message_fails_the_send_after_the_timeout() throws Exception {
        stalls(new ScriptedSmtpServer(ScriptedSmtpServer.AtData.NEVER_ANSWER), "Hola");
    }

    private static void stalls(ScriptedSmtpServer stalling, String body) throws Exception {
        try (ScriptedSmtpServer server = stalling) {
            var cfg = new Config.Smtp(Optional.of("127.0.0.1"), server.port(), Optional.empty(), Optional.empty(),
                    Config.Smtp.Security.NONE);
            SmtpMailer mailer = new SmtpMailer(cfg, "convoca.test", Duration.ofSeconds(1));

            long started = System.nanoTime();
            List<Mailer.Result> results = mailer.send(List.of(message(1, body)), new Mailer.Sender("o@upej.example", "UPEJ"));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(server.stalled.await(0, TimeUnit.SECONDS)).as("the server took DATA, then stalled").isTrue();
            assertThat(results).hasSize(1);
            assertThat(results.get(0).failure()).as("the stuck send failed").isNotNull();
            assertThat(results.get(0).failure().permanent()).as("a timeout is retried later").isFalse();
            assertThat(tookMillis).as("failed after the 1 s timeout")
                    .isBetween(900L, 10_000L);
        }
    }

    @Test
    void a_normal_send_through_the_watched_socket_is_not_cut_off() throws Exception {
        var greenMail = new com.icegreen.greenmail.util.GreenMail(
                new com.icegreen.greenmail.util.ServerSetup(0, "127.0.0.1", com.icegreen.greenmail.util.ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        try {
            var cfg = new Config.Smtp(Optional.of("127.0.0.1"), greenMail.getSmtp().getPort(), Optional.empty(),
                    Optional.empty(), Config.Smtp.Security.NONE);
            SmtpMailer mailer = new SmtpMailer(cfg, "convoca.test", Duration.ofSeconds(1));
            // One connection kept open across sends, as a blast worker keeps it, idle longer than the
            // timeout between them: only a write in progress counts, so nothing is cut off.
            try (var transport = mailer.connect()) {
                for (int i = 0; i < 3; i++) {
                    var m = mailer.build(message(i, "Hola " + i), new Mailer.Sender("o@upej.example", "UPEJ"), "<" + i + "@convoca.test>");
                    transport.sendMessage(m, m.getAllRecipients());
                    Thread.sleep(1_500);
                }
            }
            assertThat(greenMail.getReceivedMessages()).hasSize(3);
        } finally {
            greenMail.stop();
        }
    }
}
