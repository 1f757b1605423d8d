package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.convoca.db.AppSecrets;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;

/** Petitions made through the organizer pages, and sign-form posts that pass the bot checks. */
final class PetitionFixtures {
    private final TestApp app;
    private final AppSecrets secrets;

    PetitionFixtures(TestApp app) {
        this.app = app;
        this.secrets = new AppSecrets(app.dsl());
    }

    static Map<String, String> form(String title, String slug, String status) {
        Map<String, String> f = new HashMap<>();
        f.put("title", title);
        f.put("title_es", "Consejeros en cada escuela");
        f.put("slug", slug);
        f.put("description", "Our kids need **support**.");
        f.put("description_es", "Nuestros hijos necesitan **apoyo**.");
        f.put("petition_text", "We ask the Board to fund a counselor in every school.");
        f.put("petition_text_es", "Pedimos a la Junta que financie un consejero en cada escuela.");
        f.put("targets", "LAUSD Board of Education | Board\nAlberto Carvalho | Superintendent");
        f.put("signature_goal", "100");
        f.put("auto_raise_goal", "1");
        f.put("thank_you", "Thank you! We deliver on Friday.");
        f.put("thank_you_es", "¡Gracias! Entregamos el viernes.");
        f.put("share_text", "I signed for counselors. Will you?");
        f.put("share_text_es", "Firmé por consejeros. ¿Y usted?");
        f.put("status", status);
        f.put("ask_postal_code", "1");
        f.put("ask_comment", "1");
        return f;
    }

    /** A campaign and an open petition in it; returns the petition's admin path (/admin/petitions/ID). */
    String openPetition(String slug) {
        return petition(slug, form("Counselors in every school", slug, "open"));
    }

    String petition(String slug, Map<String, String> form) {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/campaigns/new");
        Map<String, String> c = new HashMap<>(Map.of("title", "Campaign " + slug, "slug", "c-" + slug, "status", "live"));
        String campaign = organizer.post("/admin/campaigns", c).location();
        organizer.page(campaign + "/petitions/new");
        Http.Response r = organizer.post(campaign + "/petitions", form);
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        return r.location();
    }

    /** Delivers the outbox until a message to {@code address} arrived (the background sender may race us). */
    jakarta.mail.internet.MimeMessage awaitMailTo(String address) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            app.deliverMail();
            for (var m : app.smtp.getReceivedMessages()) {
                try {
                    if (((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress().equals(address)) return m;
                } catch (jakarta.mail.MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }
            app.smtp.waitForIncomingEmail(200, app.smtp.getReceivedMessages().length + 1);
        }
        throw new AssertionError("no email to " + address);
    }

    static long id(String adminPath) {
        return Long.parseLong(adminPath.substring(adminPath.lastIndexOf('/') + 1));
    }

    /** A form stamp as if the page was rendered {@code millisAgo} ago. */
    String stamp(long petitionId, long millisAgo) {
        long at = System.currentTimeMillis() - millisAgo;
        return at + "." + secrets.hmac("petition-form:" + petitionId + ":" + at);
    }

    Map<String, String> signer(long petitionId, String given, String family, String email) {
        Map<String, String> f = new HashMap<>();
        f.put("given_name", given);
        f.put("family_name", family);
        f.put("email", email);
        f.put("postal_code", "90012");
        f.put("language", "en");
        f.put("comments", "");
        f.put("email_opt_in", "1");
        f.put("public_display", "1");
        f.put(BotGuard.STAMP, stamp(petitionId, 5_000));
        f.put(BotGuard.HONEYPOT, "");
        return f;
    }
}
