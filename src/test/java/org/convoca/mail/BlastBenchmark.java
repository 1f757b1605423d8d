package org.convoca.mail;

import jakarta.mail.Session;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.convoca.App;
import org.convoca.Config;
import org.convoca.auth.ApiKeyRepository;
import org.convoca.auth.StaffAccounts;
import org.convoca.auth.UserRepository;
import org.convoca.db.AppSecrets;
import org.convoca.db.Database;
import org.convoca.settings.OrganizationRepository;
import org.convoca.testsupport.TestDatabase;
import org.convoca.web.Messages;
import org.convoca.web.Templates;
import org.jooq.DSLContext;

/**
 * bench/mail: personalised messages per second from "send" (the API call) until every delivery is
 * accepted by the SMTP server at SMTP_PORT (Postfix's smtp-sink). Not a test: run by bench/mail/run.sh.
 * Prints "RESULT count seconds rate avg_bytes".
 */
public final class BlastBenchmark {
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args.length > 0 ? args[0] : "100000");
        int smtpPort = Integer.parseInt(args.length > 1 ? args[1] : "2525");
        Database db = new Database(TestDatabase.fresh(), 20);
        DSLContext dsl = db.dsl();
        int port = 18080 + (int) (System.nanoTime() % 1000);
        Config config = new Config(Optional.empty(), port, "http://127.0.0.1:" + port, Path.of("target/bench-data"),
                Optional.empty(), new Config.Smtp(Optional.of("127.0.0.1"), smtpPort, Optional.empty(), Optional.empty(),
                Config.Smtp.Security.NONE), Optional.of("news@convoca.example"),
                Optional.ofNullable(System.getenv("MAIL_RATE")).map(Double::parseDouble), "US", Optional.empty(), Integer.MAX_VALUE);
        dsl.execute("update organization set name = 'Unión de Padres', postal_address = '123 Main St, Springfield, IL 62701'");
        // Bench set-up only: 100k subscribed people on one list, in two statements.
        dsl.execute("insert into people (given_name, family_name, email, email_normalized, email_status, language, referral_code) "
                + "select 'Nombre' || g, 'Apellido' || g, 'p' || g || '@bench.example', 'p' || g || '@bench.example', 'subscribed', "
                + "case when g % 3 = 0 then 'es' else 'en' end, 'ref' || g from generate_series(1, ?) g", count);
        dsl.execute("insert into lists (name) values ('Everyone')");
        dsl.execute("insert into list_members (list_id, person_id) select (select max(id) from lists), id from people");
        App app = new App(config, db, false).start();
        var user = new StaffAccounts(new UserRepository(dsl)).create("bench@example.org", "Bench", "organizer", "a long enough passphrase").user();
        String token = new ApiKeyRepository(dsl).create(user.id(), "bench");
        long listId = ((Number) dsl.fetchValue("select max(id) from lists")).longValue();
        String body = """
                {"subject": "Board meeting on Tuesday, {{ given_name | default(\\"friend\\") }}",
                 "subject_es": "Reunión de la junta el martes, {{ given_name | default(\\"amiga/amigo\\") }}",
                 "body": "Hi {{ given_name | default(\\"friend\\") }},\\n\\nThe school board votes on the budget on **Tuesday at 6 pm**. Parents who speak make the difference.\\n\\n- Bring a neighbour\\n- Sign up to speak: [sign up](https://example.org/speak)\\n\\nShare your link: {{ referral_url }}\\n\\nThank you!",
                 "body_es": "Hola {{ given_name | default(\\"amiga/amigo\\") }},\\n\\nLa junta escolar vota el presupuesto el **martes a las 6 pm**. Las familias que hablan marcan la diferencia.\\n\\n- Traiga a un vecino\\n- Inscríbase para hablar: [inscribirse](https://example.org/speak)\\n\\nComparta su enlace: {{ referral_url }}\\n\\n¡Gracias!",
                 "targets": [{"list": %d}]}""".formatted(listId);
        HttpClient http = HttpClient.newHttpClient();
        var created = http.send(HttpRequest.newBuilder(URI.create(config.baseUrl() + "/api/v1/messages"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        long id = org.convoca.web.Json.MAPPER.readTree(created.body()).get("id").asLong();

        long t0 = System.nanoTime();
        var sent = http.send(HttpRequest.newBuilder(URI.create(config.baseUrl() + "/api/v1/messages/" + id + "/send"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (sent.statusCode() != 202) throw new IllegalStateException(sent.body());
        Deliveries deliveries = new Deliveries(dsl);
        Map<String, Integer> s;
        while (true) {
            s = deliveries.statistics(id);
            if (s.get("queued") == 0) break;
            Thread.sleep(200);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        app.close();
        System.out.printf("RESULT %d %.2f %.0f %d sent=%d failed=%d%n", count, seconds, s.get("sent") / seconds,
                averageSize(dsl, config, id), s.get("sent"), s.get("failed"));
        db.close();
        System.exit(0);
    }

    /** The size of one rendered delivery on the wire, for smtp-source's -l. */
    private static int averageSize(DSLContext dsl, Config config, long messageId) throws Exception {
        Templates templates = new Templates(new Messages(), Optional.empty(), false);
        LinkSigner signer = new LinkSigner(new AppSecrets(dsl), config.baseUrl());
        BlastRenderer renderer = new BlastRenderer(new MergeFields(), templates, signer);
        Message m = new MessageRepository(dsl).find(messageId).orElseThrow();
        Recipient r = new Recipient(50_000, messageId, 1, "p1@bench.example", "Nombre1", "Apellido1", "en", "ref1", "", 1);
        var rendered = renderer.render(m, new OrganizationRepository(dsl).get(), r,
                new MessageLinks(dsl).ensure(messageId, renderer.linksOf(m)));
        var msg = BlastEmail.build(Session.getInstance(new Properties()), rendered, r.email(), "Nombre1 Apellido1",
                new Mailer.Sender("news@convoca.example", "Unión de Padres"), "", "<x@bench>", null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        msg.writeTo(out);
        return out.size();
    }
}
