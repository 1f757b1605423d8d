package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.convoca.Config;
import org.junit.jupiter.api.Test;

/**
 * The blast client's TLS ({@link SmtpHandshake}): STARTTLS then EHLO again, TLS from the start, and
 * the server's certificate checked against the configured host, with certificates made for the test
 * by the JDK's keytool.
 */
class PipelinedSmtpTlsTest {
    private static final char[] PASS = "changeit".toCharArray();

    /** A server context with a fresh key for {@code san} (keytool's -ext SAN value), and a client context trusting only it. */
    private record Contexts(SSLContext server, SSLContext client) {
        static Contexts forName(String san) throws Exception {
            Path dir = Files.createTempDirectory("smtp-tls");
            Path ks = dir.resolve("server.p12");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=smtp.test", "-ext", "SAN=" + san, "-storetype", "PKCS12",
                    "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(output).isTrue();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(ks)) {
                store.load(in, PASS);
            }
            Files.delete(ks);
            Files.delete(dir);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, PASS);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("smtp", store.getCertificate("smtp"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            return new Contexts(server, client);
        }
    }

    private static PipelinedSmtp<String> connect(PipeliningSmtpServer server, Config.Smtp.Security security,
                                                 SSLContext client, PipelinedSmtpTest.Outcomes outcomes) throws IOException {
        var cfg = new Config.Smtp(Optional.of("127.0.0.1"), server.port(), Optional.of("mailer"), Optional.of("pw"), security);
        return PipelinedSmtp.connect(cfg, new SocketWatchdog(Duration.ofSeconds(5)), client.getSocketFactory(), "client.test", outcomes);
    }

    private static void sendOne(PipelinedSmtp<String> client) throws Exception {
        client.send("news@upej.example", "ana@example.org", "Subject: Hola\r\n\r\nHola\r\n".getBytes(StandardCharsets.UTF_8), "ana");
        client.finish();
        client.close();
    }

    @Test
    void starttls_upgrades_the_connection_and_everything_after_it_including_the_login_goes_over_tls() throws Exception {
        Contexts tls = Contexts.forName("ip:127.0.0.1");
        try (var server = new PipeliningSmtpServer("STARTTLS", "PIPELINING", "AUTH PLAIN")) {
            server.tls = tls.server();
            var outcomes = new PipelinedSmtpTest.Outcomes();
            sendOne(connect(server, Config.Smtp.Security.STARTTLS, tls.client(), outcomes));

            assertThat(outcomes.seen).containsExactly("accepted ana");
            assertThat(server.lines).filteredOn(l -> l.text().startsWith("EHLO")).extracting(PipeliningSmtpServer.Line::tls)
                    .as("EHLO before and again after STARTTLS").containsExactly(false, true);
            assertThat(server.lines).filteredOn(l -> l.text().startsWith("AUTH") || l.text().startsWith("MAIL"))
                    .isNotEmpty().allMatch(PipeliningSmtpServer.Line::tls);
            assertThat(server.logins).containsExactly("mailer:pw");
            assertThat(server.received).hasSize(1);
        }
    }

    @Test
    void implicit_tls_speaks_tls_from_the_first_byte() throws Exception {
        Contexts tls = Contexts.forName("ip:127.0.0.1");
        try (var server = new PipeliningSmtpServer("PIPELINING", "AUTH PLAIN")) {
            server.tls = tls.server();
            server.implicitTls = true;
            var outcomes = new PipelinedSmtpTest.Outcomes();
            sendOne(connect(server, Config.Smtp.Security.TLS, tls.client(), outcomes));

            assertThat(outcomes.seen).containsExactly("accepted ana");
            assertThat(server.lines).isNotEmpty().allMatch(PipeliningSmtpServer.Line::tls);
        }
    }

    @Test
    void a_certificate_for_another_host_is_refused_before_the_login() throws Exception {
        Contexts tls = Contexts.forName("dns:other.example");
        try (var server = new PipeliningSmtpServer("STARTTLS", "PIPELINING", "AUTH PLAIN")) {
            server.tls = tls.server();
            assertThatThrownBy(() -> connect(server, Config.Smtp.Security.STARTTLS, tls.client(), new PipelinedSmtpTest.Outcomes()))
                    .isInstanceOf(IOException.class);
            assertThat(server.logins).isEmpty();
            assertThat(server.lines).noneMatch(l -> l.text().startsWith("AUTH") || l.text().startsWith("MAIL"));
        }
    }
}
