package org.convoca.mail;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Properties;
import org.convoca.db.AppSecrets;
import org.convoca.db.Database;
import org.convoca.mail.inbound.ReturnPath;
import org.convoca.testsupport.TestDatabase;

/**
 * bench/bounces: what the VERP stamp adds to building and writing one blast email, with and
 * without DKIM, in microseconds per message (the two variants interleaved, after a warm-up).
 * Not a test: run by bench/bounces/run.sh. Prints "STAMP dkim plain_us stamped_us".
 */
public final class VerpStampBenchmark {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args.length > 0 ? args[0] : "20000");
        String html = "<p>" + "La junta escolar vota el presupuesto el martes a las 6 pm. ".repeat(40) + "</p>";
        var rendered = new BlastRenderer.Rendered("Reunión de la junta, Ana", html.replaceAll("<[^>]+>", ""), html,
                "https://convoca.example/u/123456.0123456789abcdef01234567");
        Session session = Session.getInstance(new Properties());
        Mailer.Sender from = new Mailer.Sender("news@convoca.example", "Unión de Padres");
        try (Database db = new Database(TestDatabase.fresh(), 2)) {
            ReturnPath rp = new ReturnPath(new LinkSigner(new AppSecrets(db.dsl()), "https://convoca.example"), "bounce.convoca.example");
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            Path key = Files.createTempFile("dkim", ".der");
            Files.write(key, gen.generateKeyPair().getPrivate().getEncoded());
            Dkim dkim = Dkim.of("convoca.example", "bench", key.toFile(), false);
            Files.delete(key);
            for (Dkim d : new Dkim[] {null, dkim}) {
                int rounds = d == null ? n : n / 10;   // RSA signing is slow; fewer rounds
                run(session, rendered, from, d, rp, rounds / 2, false);   // warm-up
                run(session, rendered, from, d, rp, rounds / 2, true);
                long plain = 0;
                long stamped = 0;
                for (int i = 0; i < 4; i++) {
                    plain += run(session, rendered, from, d, rp, rounds / 4, false);
                    stamped += run(session, rendered, from, d, rp, rounds / 4, true);
                }
                System.out.printf("STAMP %s %.1f %.1f%n", d == null ? "no-dkim" : "dkim", plain / 1e3 / rounds, stamped / 1e3 / rounds);
            }
        }
        System.exit(0);
    }

    /** Nanoseconds to build and write {@code count} emails. */
    private static long run(Session session, BlastRenderer.Rendered r, Mailer.Sender from, Dkim dkim, ReturnPath rp,
                            int count, boolean stamp) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            MimeMessage msg = BlastEmail.build(session, r, "p" + i + "@bench.example", "Nombre Apellido", from, "",
                    "<" + i + "@bench>", dkim, stamp ? rp.of(100_000 + i) : null);
            msg.writeTo(OutputStream.nullOutputStream());
        }
        return System.nanoTime() - t0;
    }
}
