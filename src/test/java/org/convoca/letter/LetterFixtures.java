package org.convoca.letter;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convoca.campaign.Campaign;
import org.convoca.campaign.CampaignForm;
import org.convoca.campaign.CampaignRepository;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;

/** Targets, actions and a writer's journey, shared by the letter tests. */
final class LetterFixtures {
    private static final Pattern LINK = Pattern.compile("https?://[^\\s\"<]+/letters/confirm/[A-Za-z0-9_-]+");
    private final TestApp app;

    LetterFixtures(TestApp app) {
        this.app = app;
    }

    Campaign campaign() {
        String slug = "c-" + System.nanoTime();
        return new CampaignRepository(app.dsl()).create(new CampaignForm("Counselors, not cops", "", slug, "", "", "",
                "", "", "live", "", "", ""), null);
    }

    Target target(String given, String family, String email, String schools, String postalCodes) {
        return new TargetRepository(app.dsl()).create(new TargetForm(given, family, "Board Member",
                "LAUSD Board of Education", email, "District " + family, schools, postalCodes));
    }

    LetterAction action(Targeting targeting, List<Target> targets, List<Target> fallback, boolean editable) {
        LetterActionForm f = new LetterActionForm(String.valueOf(campaign().id()), "More counselors", "Más consejeros",
                "Write to your board member.", "", "Counselors for {{ school }}", "Consejeros para {{ school }}",
                "Dear board member,\n\nI am {{ given_name }} {{ family_name }}, a parent at {{ school }}.\n\n{{ story }}\n\nThank you.",
                "Estimado miembro de la junta:\n\nSoy {{ given_name }}, de {{ school }}.\n\n{{ story }}",
                editable, targeting.value(), targets.stream().map(t -> String.valueOf(t.id())).toList(),
                fallback.stream().map(t -> String.valueOf(t.id())).toList(), "open");
        assertThat(f.validate()).isEmpty();
        return new LetterActionRepository(app.dsl()).create(f, null);
    }

    static Map<String, String> writer(String given, String email, String school) {
        Map<String, String> f = new HashMap<>();
        f.put("given_name", given);
        f.put("family_name", "Pérez");
        f.put("email", email);
        f.put("postal_code", "");
        f.put("school", school);
        f.put("story", "My son's school has one counselor for 700 kids & it shows.");
        return f;
    }

    /** Preview, send, then confirm by the emailed link: the whole journey of a writer. */
    Http.Response writeAndConfirm(LetterAction a, Map<String, String> form) {
        Http writer = app.http();
        Http.Response sent = send(writer, a, form);
        assertThat(sent.status()).as("send redirects: %s", sent.body()).isEqualTo(303);
        String link = confirmationLink(form.get("email"));
        writer.page(link);
        return writer.post(link, Map.of());
    }

    static Http.Response send(Http writer, LetterAction a, Map<String, String> form) {
        Map<String, String> f = new HashMap<>(form);
        f.put("step", "send");
        return writer.postRaw("/letters/" + a.id(), f);
    }

    String confirmationLink(String email) {
        List<MimeMessage> mine = to(email).stream().filter(m -> subject(m).startsWith("Confirm your letter")).toList();
        assertThat(mine).as("a confirmation email to " + email).isNotEmpty();
        Matcher m = LINK.matcher(body(mine.get(mine.size() - 1)));
        assertThat(m.find()).isTrue();
        return m.group();
    }

    /**
     * What the SMTP server delivered to this address's mailbox: the envelope (RCPT TO), not the
     * headers, so a display name that merely mentions an address does not count.
     */
    List<MimeMessage> to(String address) {
        settle();
        try {
            var user = app.smtp.getUserManager().getUserByEmail(address);
            if (user == null) return List.of();
            return app.smtp.getManagers().getImapHostManager().getInbox(user).getMessages().stream()
                    .map(m -> m.getMimeMessage()).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Delivers what is due and waits until no row is mid-send: the app's own sender thread may have
     * claimed a row a moment before the test drained the outbox.
     */
    void settle() {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        var OUTBOX = org.convoca.db.schema.Tables.OUTBOX;
        while (true) {
            app.deliverMail();
            boolean busy = app.dsl().fetchExists(OUTBOX, OUTBOX.STATUS.eq("sending")
                    .or(OUTBOX.STATUS.eq("queued").and(OUTBOX.NEXT_ATTEMPT_AT.le(java.time.OffsetDateTime.now()))));
            if (!busy || System.nanoTime() > deadline) return;
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decoded text/plain part. */
    static String body(MimeMessage m) {
        try {
            Object content = m.getContent();
            if (content instanceof String s) return s;
            jakarta.mail.Multipart mp = (jakarta.mail.Multipart) content;
            for (int i = 0; i < mp.getCount(); i++) {
                if (mp.getBodyPart(i).isMimeType("text/plain")) return (String) mp.getBodyPart(i).getContent();
            }
            return "";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String raw(MimeMessage m) {
        return com.icegreen.greenmail.util.GreenMailUtil.getWholeMessage(m);
    }
}
