package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** DKIM: a configured key signs blasts, covering the one-click unsubscribe headers, and keeps the Message-ID. */
class DkimSigningTest {

    @Test
    void a_signed_blast_covers_list_unsubscribe_post_and_keeps_its_message_id() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        Path key = Files.createTempFile("dkim", ".der");
        Files.write(key, gen.generateKeyPair().getPrivate().getEncoded());  // PKCS#8 DER
        Dkim dkim = Dkim.of("upej.example", "convoca", key.toFile(), false);
        var rendered = new BlastRenderer.Rendered("Reunión", "Hola", "<p>Hola</p>", "https://upej.example/u/1.abc");

        var msg = BlastEmail.build(Session.getInstance(new Properties()), rendered, "ana@example.org", "Ana",
                new Mailer.Sender("news@upej.example", "UPEJ"), "", "<id-1@upej.example>", dkim);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        msg.writeTo(out);
        String raw = out.toString(StandardCharsets.UTF_8);

        String signature = raw.substring(raw.indexOf("DKIM-Signature:"), raw.indexOf("DKIM-Signature:") + 600);
        assertThat(signature.replaceAll("\\s+", "")).contains("d=upej.example").contains("s=convoca")
                .containsIgnoringCase("List-Unsubscribe-Post");
        assertThat(raw).contains("Message-ID: <id-1@upej.example>");
        Files.delete(key);
    }
}
