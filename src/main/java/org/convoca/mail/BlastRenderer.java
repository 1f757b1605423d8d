package org.convoca.mail;

import io.pebbletemplates.pebble.extension.escaper.SafeString;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convoca.settings.Organization;
import org.convoca.web.Lang;
import org.convoca.web.Markdown;
import org.convoca.web.Templates;

/**
 * Renders one message for one person: merge fields (escaped for HTML), Markdown to sanitised
 * HTML, the email layout with inlined styles, a footer with the unsubscribe link and postal
 * address, and, when tracking is on, an open pixel and click redirects for the message's links.
 */
public final class BlastRenderer {
    public record Rendered(String subject, String text, String html, String unsubscribeUrl) {
    }

    private static final Pattern HREF = Pattern.compile("href=\"(https?://[^\"]+)\"");
    private final MergeFields merge;
    private final Templates templates;
    private final LinkSigner links;

    public BlastRenderer(MergeFields merge, Templates templates, LinkSigner links) {
        this.merge = merge;
        this.templates = templates;
        this.links = links;
    }

    /** The language a person gets: Spanish when they speak it and the message has a Spanish version. */
    public static Lang languageFor(Message m, String personLanguage) {
        return "es".equals(personLanguage) && m.hasSpanish() ? Lang.ES : Lang.EN;
    }

    /**
     * @param deliveryId 0 for previews and test sends (their links unsubscribe nobody)
     * @param linkIds    the message's tracked links (escaped href → id); empty when not tracking
     */
    public Rendered render(Message m, Organization org, Recipient p, Map<String, Long> linkIds) {
        Lang lang = languageFor(m, p.language());
        boolean es = lang == Lang.ES;
        String unsubscribe = p.deliveryId() == 0 ? links.baseUrl() + "/u/preview" : links.unsubscribeUrl(p.deliveryId());
        Map<String, Object> person = person(p, links.baseUrl(), unsubscribe);
        String body = es ? m.bodyEs() : m.body();
        String subject = MessageFormatting.oneLine(merge.render(es ? m.subjectEs() : m.subject(), person, false));
        String preheaderSrc = es && m.preheaderEs() != null ? m.preheaderEs() : m.preheader();
        String preheader = merge.render(preheaderSrc, person, false);
        String html = Markdown.toSafeHtml(merge.render(body, person, true));
        boolean track = m.tracking() && p.deliveryId() != 0;
        if (track && !linkIds.isEmpty()) html = rewriteLinks(html, p.deliveryId(), linkIds);
        Map<String, Object> model = new HashMap<>();
        model.put("org", org);
        model.put("lang", lang.code());
        model.put("subject", subject);
        model.put("preheader", preheader);
        model.put("bodyHtml", new SafeString(html));
        model.put("bodyText", merge.render(body, person, false));
        model.put("unsubscribeUrl", unsubscribe);
        model.put("pixelUrl", track ? links.openUrl(p.deliveryId()) : "");
        return new Rendered(subject, templates.render("email/blast.text", model, lang),
                templates.render("email/blast.html", model, lang), unsubscribe);
    }

    static Map<String, Object> person(Recipient p, String baseUrl, String unsubscribeUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("given_name", nz(p.givenName()));
        m.put("family_name", nz(p.familyName()));
        m.put("email", nz(p.email()));
        m.put("postal_code", nz(p.postalCode()));
        m.put("language", p.language() == null ? "" : p.language());
        m.put("referral_url", p.referralCode() == null ? baseUrl + "/" : baseUrl + "/?ref=" + p.referralCode());
        m.put("unsubscribe_url", unsubscribeUrl);
        // Pebble's default filter treats "" as set; a missing name should fall back to the default.
        m.values().removeIf(v -> "".equals(v));
        for (String f : MergeFields.FIELDS) m.putIfAbsent(f, null);
        return m;
    }

    /** The http(s) links of a message's body, in both languages, as they appear in its HTML. */
    public Set<String> linksOf(Message m) {
        Set<String> out = new LinkedHashSet<>();
        Recipient sample = new Recipient(0, m.id(), 0, "", "", "", null, null, "", 0);
        Map<String, Object> person = person(sample, links.baseUrl(), links.baseUrl() + "/u/preview");
        collect(Markdown.toSafeHtml(merge.render(m.body(), person, true)), out);
        if (m.hasSpanish()) collect(Markdown.toSafeHtml(merge.render(m.bodyEs(), person, true)), out);
        out.removeIf(u -> u.startsWith(links.baseUrl() + "/?ref=") || u.startsWith(links.baseUrl() + "/u/"));
        return out;
    }

    private static void collect(String html, Set<String> out) {
        Matcher matcher = HREF.matcher(html);
        while (matcher.find()) out.add(matcher.group(1));
    }

    private String rewriteLinks(String html, long deliveryId, Map<String, Long> linkIds) {
        Matcher matcher = HREF.matcher(html);
        StringBuilder sb = new StringBuilder(html.length() + 256);
        while (matcher.find()) {
            Long id = linkIds.get(matcher.group(1));
            String href = id == null ? matcher.group(0) : "href=\"" + links.clickUrl(deliveryId, id) + "\"";
            matcher.appendReplacement(sb, Matcher.quoteReplacement(href));
        }
        matcher.appendTail(sb);
        return sb.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
