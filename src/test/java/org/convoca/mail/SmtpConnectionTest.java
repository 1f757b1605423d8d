package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.convoca.Config;
import org.junit.jupiter.api.Test;

/**
 * A blast worker's kept connection ({@link SmtpConnection}): reused without a NOOP per email, and
 * checked after a rest, so a connection the server closed meanwhile is replaced before a send
 * instead of failing one.
 */
class SmtpConnectionTest {

    /** Takes any number of messages per connection; can close every connection, as an idle timeout does. */
    static final class DroppingServer implements AutoCloseable {
        final ServerSocket server;
        final List<Socket> open = new CopyOnWriteArrayList<>();
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger noops = new AtomicInteger();
        final AtomicInteger connections = new AtomicInteger();

        DroppingServer() throws Exception {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        connections.incrementAndGet();
                        open.add(s);
                        Thread t = new Thread(() -> serve(s), "dropping-smtp");
                        t.setDaemon(true);
                        t.start();
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "dropping-smtp-accept");
            accept.setDaemon(true);
            accept.start();
        }

        private void serve(Socket s) {
            try (s) {
                var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();
                reply(out, "220 dropping.test ESMTP");
                String line;
                while ((line = in.readLine()) != null) {
                    String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                    switch (verb) {
                        case "DATA" -> {
                            reply(out, "354 go ahead");
                            while ((line = in.readLine()) != null && !line.equals(".")) {
                                // the message
                            }
                            delivered.incrementAndGet();
                            reply(out, "250 OK");
                        }
                        case "NOOP" -> {
                            noops.incrementAndGet();
                            reply(out, "250 OK");
                        }
                        case "QUIT" -> {
                            reply(out, "221 bye");
                            return;
                        }
                        default -> reply(out, "250 OK");
                    }
                }
            } catch (Exception e) {
                // closed by dropAll() or by the client
            }
        }

        private static void reply(OutputStream out, String line) throws java.io.IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Closes every connection from the server's side. */
        void dropAll() throws Exception {
            for (Socket s : open) s.close();
            open.clear();
        }

        @Override
        public void close() throws Exception {
            server.close();
            dropAll();
        }
    }

    static void send(jakarta.mail.Transport t, SmtpMailer mailer, int i) throws Exception {
        var m = mailer.build(new OutboxMessage(i, "test", "parent@example.org", "Parent", null, null, null, "Hola " + i,
                "Hola " + i, null, Map.of(), "queued", 0, null, null, null, null),
                new Mailer.Sender("o@upej.example", "UPEJ"), "<" + i + "@convoca.test>");
        t.sendMessage(m, m.getAllRecipients());
    }

    @Test
    void a_busy_connection_is_reused_without_noops_and_a_rested_one_the_server_closed_is_replaced() throws Exception {
        try (DroppingServer server = new DroppingServer()) {
            var cfg = new Config.Smtp(Optional.of("127.0.0.1"), server.server.getLocalPort(), Optional.empty(),
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
