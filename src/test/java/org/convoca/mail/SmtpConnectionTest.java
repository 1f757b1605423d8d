package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.convoca.Config;
import org.junit.jupiter.api.Test;

/**
 * A blast worker's kept connection ({@link SmtpConnection}): reused without a NOOP per email, and
 * checked after a rest, so a connection the server closed meanwhile is replaced before a send
 * instead of failing one.
 */
class SmtpConnectionTest {

    static void send(jakarta.mail.Transport t, SmtpMailer mailer, int i) throws Exception {
        var m = mailer.build(new OutboxMessage(i, "test", "parent@example.org", "Parent", null, null, null, "Hola " + i,
                "Hola " + i, null, Map.of(), "queued", 0, null, null, null, null),
                new Mailer.Sender("o@upej.example", "UPEJ"), "<" + i + "@convoca.test>");
        t.sendMessage(m, m.getAllRecipients());
    }

    @Test
    void a_busy_connection_is_reused_without_noops_and_a_rested_one_the_server_closed_is_replaced() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(ScriptedSmtpServer.AtData.ACCEPT)) {
            var cfg = new Config.Smtp(Optional.of("127.0.0.1"), server.port(), Optional.empty(),
                    Optional.empty(), Config.Smtp.Security.NONE);
            SmtpMailer mailer = new SmtpMailer(cfg, "convoca.test");
            SmtpConnection connection = new SmtpConnection(mailer, Duration.ofMillis(300));

            var first = connection.open();
            for (int i = 0; i < 5; i++) {
                var t = connection.open();
                assertThat(t).isSameAs(first);
                send(t, mailer, i);
                connection.used();
            }
            assertThat(server.noops.get()).as("no NOOP while in use").isZero();

            // The server closes it while the worker rests (an idle timeout).
            server.dropAll();
            Thread.sleep(600);
            var again = connection.open();
            assertThat(again).as("a new connection after the check").isNotSameAs(first);
            send(again, mailer, 5);
            connection.used();

            assertThat(server.delivered.get()).isEqualTo(6);
            assertThat(server.connections.get()).isEqualTo(2);
            connection.close();
        }
    }
}
