package org.convoca.mail;

import jakarta.mail.Session;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.Properties;
import org.convoca.db.AppSecrets;
import org.convoca.db.Database;
import org.convoca.db.DatabaseUrl;
import org.convoca.settings.OrganizationRepository;
import org.convoca.web.Messages;
import org.convoca.web.Templates;
import org.jooq.DSLContext;

/**
 * bench/mail: the size on the wire of one delivery of a message, rendered and written as the
 * blast sender does, for smtp-source's -l. Not a test: run by bench/mail/run.sh after a blast.
 * Usage: BlastSize DATABASE_URL BASE_URL MESSAGE_ID MAIL_FROM; prints the size in bytes.
 */
public final class BlastSize {
    public static void main(String[] args) throws Exception {
        Database db = new Database(DatabaseUrl.parse(args[0]), 1);
        DSLContext dsl = db.dsl();
        long messageId = Long.parseLong(args[2]);
        BlastRenderer renderer = new BlastRenderer(new MergeFields(), new Templates(new Messages(), Optional.empty(), false),
                new LinkSigner(new AppSecrets(dsl), args[1]));
        Message m = new MessageRepository(dsl).find(messageId).orElseThrow();
        var prepared = renderer.prepare(m, new OrganizationRepository(dsl).get(),
                new MessageLinks(dsl).ensure(messageId, renderer.linksOf(m)));
        var row = dsl.fetchOne("select d.id, d.person_id, p.email, p.given_name, p.family_name, p.language, p.referral_code "
                + "from message_deliveries d join people p on p.id = d.person_id where d.message_id = ? order by d.id limit 1", messageId);
        Recipient r = new Recipient(row.get(0, Long.class), messageId, row.get(1, Long.class), row.get(2, String.class),
                row.get(3, String.class), row.get(4, String.class), row.get(5, String.class), row.get(6, String.class), "", 1);
        var msg = BlastEmail.build(Session.getInstance(new Properties()), prepared.render(r), r.email(),
                r.givenName() + " " + r.familyName(), new Mailer.Sender(args[3], new OrganizationRepository(dsl).get().name()),
                m.replyTo(), "<" + java.util.UUID.randomUUID() + "@bench.example>", null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        msg.writeTo(out);
        System.out.println(out.size());
        db.close();
    }
}
