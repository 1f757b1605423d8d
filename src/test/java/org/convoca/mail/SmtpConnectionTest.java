package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.convoca.Config;
import org.junit.jupiter.api.Test;

/**
 * A blast worker's kept connection ({@link SmtpConnection}): reused without a NOOP per email, and
 * checked after a rest, so a connection the server closed meanwhile is replaced before a send
 * instead of failing one.
 */
class SmtpConnectionTest {

    static void send(PipelinedSmtp<String> client, int i) throws Exception {
        client.send("o@upej.example", "parent@example.org", ("Subject: Hola " + i + "\r\n\r\nHola " + i + "\r\n")
                .getBytes(StandardCharsets.UTF_8), "email " + i);
    }

    @Test
    void a_busy_connection_is_reused_without_noops_and_a_rested_one_the_server_closed_is_replaced() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(ScriptedSmtpServer.AtData.ACCEPT)) {
            var cfg = new Config.Smtp(Optional.of("127.0.0.1"), server.port(), Optional.empty(),
                    Optional.empty(), Config.Smtp.Security.NONE);
            SmtpMailer mailer = new SmtpMailer(cfg, "convoca.test");
            var outcomes = new PipelinedSmtpTest.Outcomes();
            SmtpConnection<String> connection = new SmtpConnection<>(mailer, outcomes, Duration.ofMillis(300));

            var first = connection.open();
            for (int i = 0; i < 5; i++) {
                var c = connection.open();
                assertThat(c).isSameAs(first);
                send(c, i);
                connection.used();
            }
            connection.finish();
            assertThat(server.noops.get()).as("no NOOP while in use").isZero();

            // The server closes it while the worker rests (an idle timeout).
            server.dropAll();
            Thread.sleep(600);
            var again = connection.open();
            assertThat(again).as("a new connection after the check").isNotSameAs(first);
            send(again, 5);
            connection.used();
            connection.finish();

            assertThat(server.delivered.get()).isEqualTo(6);
            assertThat(server.connections.get()).isEqualTo(2);
            assertThat(outcomes.seen).hasSize(6).allMatch(s -> s.startsWith("accepted"));
            connection.close();
        }
    }
}
