package org.convoca.petition;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.convoca.mail.EmailRenderer;
import org.convoca.mail.OutboxBodies;
import org.convoca.mail.OutgoingEmail;
import org.convoca.web.Lang;

/** The emails a signature causes: the thank-you with share links, and the double opt-in link. */
final class SignatureMail {
    static final Duration CONFIRM_VALID_FOR = Duration.ofDays(7);

    private final EmailRenderer emails;
    private final ShareLinks share;
    private final ThankYouSkeletons skeletons;

    SignatureMail(EmailRenderer emails, ShareLinks share, OutboxBodies bodies) {
        this.emails = emails;
        this.share = share;
        this.skeletons = new ThankYouSkeletons(bodies);
    }

    /** The thank-you email with share links, once per signature (dedupe key). */
    OutgoingEmail thanks(Petition p, long signatureId, String to, String name, Lang lang, String code) {
        String kind = "petition_thanks";
        String dedupeKey = kind + ":" + signatureId;
        if (!ThankYouSkeletons.fillable(code)) {
            return EmailRenderer.email(kind, dedupeKey, to, name, renderThanks(p, lang, name, code));
        }
        var key = new ThankYouSkeletons.Key(p, lang, emails.organization());
        var filled = skeletons.fill(key, (nameMarker, codeMarker) -> renderThanks(p, lang, nameMarker, codeMarker), name, code);
        return new OutgoingEmail(kind, dedupeKey, to, name, null, filled.subject(), null, null, Map.of(), null,
                filled.fills());
    }

    /** The full render; also what a skeleton is made from, with markers for name and code. */
    EmailRenderer.Rendered renderThanks(Petition p, Lang lang, String name, String code) {
        Map<String, Object> model = new HashMap<>();
        model.put("name", name);
        model.put("title", p.title(lang));
        model.put("thankYou", p.thankYou(lang));
        model.put("share", share.links(p, lang, code));
        return emails.render("petition_thanks", lang, model, p.title(lang));
    }

    OutgoingEmail confirmation(Petition p, long signatureId, String to, String name, Lang lang, String token) {
        Map<String, Object> model = new HashMap<>();
        model.put("name", name);
        model.put("title", p.title(lang));
        model.put("link", share.pageUrl(p) + "/confirm?token=" + token + "&lang=" + lang.code());
        model.put("days", CONFIRM_VALID_FOR.toDays());
        return emails.email("petition_confirm", "petition_confirm:" + signatureId, to, name, lang, model, p.title(lang));
    }
}
