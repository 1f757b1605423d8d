package org.convoca.mail;

import java.util.HashMap;
import java.util.Map;
import org.convoca.settings.Organization;
import org.convoca.settings.OrganizationRepository;
import org.convoca.web.Lang;
import org.convoca.web.Templates;

/**
 * Transactional emails from templates, per language: {@code email/NAME.text.peb} and
 * {@code email/NAME.html.peb}, subject from the {@code email.NAME.subject} message. Every email
 * carries the organization's name and postal address in its footer (the layouts do that).
 */
public final class EmailRenderer {
    public record Rendered(String subject, String text, String html) {
    }

    private final Templates templates;
    private final OrganizationRepository organization;

    public EmailRenderer(Templates templates, OrganizationRepository organization) {
        this.templates = templates;
        this.organization = organization;
    }

    /** The organization the footers show now (cached by its repository): part of a cache key. */
    public Organization organization() {
        return organization.get();
    }

    public Rendered render(String name, Lang lang, Map<String, ?> model, Object... subjectArgs) {
        Organization org = organization.get();
        Map<String, Object> m = new HashMap<>(model);
        m.put("org", org);
        m.put("lang", lang.code());
        String subject = templates.messages().get(lang, "email." + name + ".subject", subjectArgs);
        m.put("subject", subject);
        return new Rendered(subject,
                templates.render("email/" + name + ".text", m, lang),
                templates.render("email/" + name + ".html", m, lang));
    }

    public OutgoingEmail email(String kind, String dedupeKey, String to, String toName, Lang lang,
                               Map<String, ?> model, Object... subjectArgs) {
        return email(kind, dedupeKey, to, toName, render(kind, lang, model, subjectArgs));
    }

    /** An already rendered email, as queued. */
    public static OutgoingEmail email(String kind, String dedupeKey, String to, String toName, Rendered r) {
        return new OutgoingEmail(kind, dedupeKey, to, toName, null, r.subject(), r.text(), r.html(), Map.of());
    }
}
