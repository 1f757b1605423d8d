package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Properties;
import org.convoca.db.AppSecrets;
import org.convoca.db.Database;
import org.convoca.mail.inbound.ReturnPath;
import org.convoca.testsupport.TestDatabase;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.junit.jupiter.api.Test;

/** The VERP stamp on a built blast, with and without DKIM: envelope sender set, the signed header is the final one. */
class VerpStampTest {
    static final BlastRenderer.Rendered RENDERED =
            new BlastRenderer.Rendered("Reunión", "Hola", "<p>Hola</p>", "https://upej.example/u/1.abc");

    static String raw(jakarta.mail.internet.MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void a_stamped_blast_has_the_verp_envelope_sender_and_a_per_delivery_mailto_under_its_dkim_signature() throws Exception {
        try (Database db = new Database(TestDatabase.fresh(), 2)) {
            ReturnPath rp = new ReturnPath(new LinkSigner(new AppSecrets(db.dsl()), "https://upej.example"), "bounce.upej.example");
            Session session = Session.getInstance(new Properties());
            Mailer.Sender from = new Mailer.Sender("news@upej.example", "UPEJ");

            var plain = BlastEmail.build(session, RENDERED, "ana@example.org", "Ana", from, "", "<id-1@upej.example>", null, rp.of(5));
            assertThat(plain).isInstanceOf(SMTPMessage.class);
            assertThat(((SMTPMessage) plain).getEnvelopeFrom()).isEqualTo(rp.address(ReturnPath.Kind.BOUNCE, 5));
            assertThat(raw(plain).replace("\r\n ", " ")).contains("List-Unsubscribe: <https://upej.example/u/1.abc>, <mailto:"
                    + rp.address(ReturnPath.Kind.UNSUBSCRIBE, 5) + "?subject=unsubscribe>");

            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            Path key = Files.createTempFile("dkim", ".der");
            Files.write(key, gen.generateKeyPair().getPrivate().getEncoded());
            Dkim dkim = Dkim.of("upej.example", "convoca", key.toFile(), false);
            var signed = BlastEmail.build(session, RENDERED, "ana@example.org", "Ana", from, "", "<id-2@upej.example>", dkim, rp.of(6));
            // What blast workers send (PipelinedSmtp): the same envelope and signed bytes, CRLF throughout.
            var built = BlastEmail.bytes(session, RENDERED, "ana@example.org", "Ana", from, "", "<id-3@upej.example>", dkim, rp.of(7));
            var unsigned = BlastEmail.bytes(session, RENDERED, "ana@example.org", "Ana", from, "", "<id-4@upej.example>", null, null);
            Files.delete(key);
            assertThat(built.envelopeFrom()).isEqualTo(rp.address(ReturnPath.Kind.BOUNCE, 7));
            assertThat(built.to()).isEqualTo("ana@example.org");
            String sent = new String(built.content(), StandardCharsets.UTF_8);
            assertThat(sent.split("DKIM-Signature:", -1)).hasSize(2);
            assertThat(sent).contains("mailto:" + rp.address(ReturnPath.Kind.UNSUBSCRIBE, 7)).contains("Message-ID: <id-3@upej.example>");
            assertThat(sent.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
            assertThat(unsigned.envelopeFrom()).as("without VERP, the From address").isEqualTo("news@upej.example");
            assertThat(((SMTPMessage) signed).getEnvelopeFrom()).isEqualTo(rp.address(ReturnPath.Kind.BOUNCE, 6));
            String text = raw(signed);
            // Signed once, after the mailto was replaced: the copy carries the signature, nothing re-signs it.
            assertThat(text.split("DKIM-Signature:", -1)).hasSize(2);
            assertThat(text.indexOf("DKIM-Signature:")).isLessThan(text.indexOf("List-Unsubscribe:"));
            assertThat(text).contains("mailto:" + rp.address(ReturnPath.Kind.UNSUBSCRIBE, 6)).doesNotContain("mailto:news@");
            assertThat(text).contains("Message-ID: <id-2@upej.example>");
        }
    }
}
