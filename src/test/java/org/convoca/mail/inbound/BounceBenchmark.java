package org.convoca.mail.inbound;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.URLName;
import java.util.UUID;
import org.convoca.db.AppSecrets;
import org.convoca.db.Database;
import org.convoca.mail.LinkSigner;
import org.convoca.testsupport.TestDatabase;
import org.jooq.DSLContext;

/**
 * bench/bounces: returned messages per second through the bounce inbox (IMAP fetch, DSN parse,
 * signature check, status change with consent and activity, delete), against the mailbox's own
 * limit measured in the same run: Angus Mail fetching and deleting the same messages from the same
 * IMAP server with no work in between. Not a test: run by bench/bounces/run.sh.
 * Arguments: count, then either nothing (GreenMail's IMAP server in this JVM) or a Dovecot IMAP
 * port and the folder holding its users' homes (baseline/ and convoca/, each with a Maildir).
 * Prints "RESULT count baseline_seconds convoca_seconds bouncing_people".
 */
public final class BounceBenchmark {
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args.length > 0 ? args[0] : "1000");
        // GreenMail warns once per stored report about a MIME type it does not index; not our cost to measure.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.icegreen")).setLevel(ch.qos.logback.classic.Level.ERROR);
        boolean dovecot = args.length > 2;
        GreenMail imap = dovecot ? null : new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        if (imap != null) imap.start();
        try (Database db = new Database(TestDatabase.fresh(), 4)) {
            DSLContext dsl = db.dsl();
            // Bench set-up only: count subscribed people, one sent message, one sent delivery each.
            dsl.execute("insert into people (given_name, email, email_normalized, email_status, referral_code) "
                    + "select 'P' || g, 'p' || g || '@bench.example', 'p' || g || '@bench.example', 'subscribed', 'ref' || g "
                    + "from generate_series(1, ?) g", count);
            dsl.execute("insert into messages (subject, body, status) values ('Board meeting', 'Tuesday', 'sent')");
            dsl.execute("insert into message_deliveries (message_id, person_id, status, sent_at) "
                    + "select (select max(id) from messages), id, 'sent', now() from people");
            ReturnPath rp = new ReturnPath(new LinkSigner(new AppSecrets(dsl), "http://127.0.0.1"), "bounce.bench");
            GreenMailUser baselineBox = dovecot ? null : imap.setUser("baseline@bounce.bench", "baseline", "pw");
            GreenMailUser convocaBox = dovecot ? null : imap.setUser("convoca@bounce.bench", "convoca", "pw");
            var deliveries = dsl.fetch("select d.id, p.email from message_deliveries d join people p on p.id = d.person_id");
            for (var d : deliveries) {
                long id = d.get(0, Long.class);
                String email = d.get(1, String.class);
                var dsn = ReturnedMail.dsn(rp.address(ReturnPath.Kind.BOUNCE, id), email, "failed", "5.1.1");
                if (dovecot) {
                    // As a local delivery agent would: one file per message in Maildir/new.
                    for (String user : new String[] {"baseline", "convoca"}) {
                        try (var out = java.nio.file.Files.newOutputStream(java.nio.file.Path.of(args[2], user, "Maildir", "new",
                                System.nanoTime() + "." + id + ".bench"))) {
                            dsn.writeTo(out);
                        }
                    }
                } else {
                    baselineBox.deliver(dsn);
                    convocaBox.deliver(dsn);
                }
            }
            String base = "imap://%s:pw@127.0.0.1:" + (dovecot ? args[1] : String.valueOf(imap.getImap().getPort())) + "/INBOX";

            Mailbox baseline = new Mailbox(new URLName(base.formatted("baseline")));
            long t0 = System.nanoTime();
            int read = 0;
            for (int n; (n = baseline.poll(BouncePoller.BATCH, chunk -> java.util.Collections.nCopies(chunk.size(), Mailbox.Disposition.DELETE))) > 0; ) read += n;
            double baselineSeconds = (System.nanoTime() - t0) / 1e9;

            BouncePoller poller = new BouncePoller(new Mailbox(new URLName(base.formatted("convoca"))), new InboundMail(rp),
                    new InboundEvents(dsl), new JobLease(dsl, "bounce-inbox", UUID.randomUUID().toString()));
            long t1 = System.nanoTime();
            int handled = 0;
            for (int n; (n = poller.pollOnce().total()) > 0; ) handled += n;
            double convocaSeconds = (System.nanoTime() - t1) / 1e9;

            int bouncing = dsl.fetchCount(dsl.selectOne().from("people").where("email_status = 'bouncing'"));
            System.out.printf("RESULT %d %.2f %.2f %d baseline_read=%d convoca_handled=%d%n", count, baselineSeconds,
                    convocaSeconds, bouncing, read, handled);
        } finally {
            if (imap != null) imap.stop();
        }
        System.exit(0);
    }
}
