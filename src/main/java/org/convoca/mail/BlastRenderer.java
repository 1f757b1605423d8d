package org.convoca.mail;

import io.pebbletemplates.pebble.extension.escaper.SafeString;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>A blast renders through {@link #prepare}: Markdown, the sanitizer and the layout run once per
 * language (and set of merge fields a person has), and each email is that text with the person's
 * values filled in ({@link BlastTemplate}). A message whose merge tags do more than print a field
 * is rendered per person, as previews and test sends always are.
 */
public final class BlastRenderer {
    /**
     * One person's email. Filled in from a skeleton, {@code filled} holds the parts unwritten:
     * {@link BlastEmail} writes them straight as quoted-printable, and {@link #text()} and
     * {@link #html()} build the strings only when asked (previews, tests).
     */
    public record Rendered(String subject, String text, String html, String unsubscribeUrl, Filled filled) {
        public Rendered(String subject, String text, String html, String unsubscribeUrl) {
            this(subject, text, html, unsubscribeUrl, null);
        }

        @Override
        public String text() {
            return text != null ? text : BlastTemplate.fill(filled.text(), filled.values(), BlastTemplate.Mode.TEXT);
        }

        @Override
        public String html() {
            return html != null ? html : BlastTemplate.fill(filled.html(), filled.values(), BlastTemplate.Mode.HTML);
        }
    }

    /** The text and HTML parts of a skeleton with one person's values, not yet written out. */
    record Filled(BlastTemplate.Compiled text, BlastTemplate.Compiled html, BlastTemplate.Values values) {
    }

    /** A message ready to render for many people; skeletons are built on first use and shared by workers. */
    public final class Prepared {
        private final Message message;
        private final Organization org;
        private final Map<String, Long> linkIds;
        private final Map<Integer, Optional<Skeleton>> skeletons = new ConcurrentHashMap<>();

        private Prepared(Message message, Organization org, Map<String, Long> linkIds) {
            this.message = message;
            this.org = org;
            this.linkIds = linkIds;
        }

        public Organization organization() {
            return org;
        }

        public Message message() {
            return message;
        }

        /** True when this language's emails are filled in from one rendering (tests, and the bench's log). */
        boolean filledIn(Lang lang) {
            String[] all = new String[MergeFields.FIELDS.size()];
            java.util.Arrays.fill(all, "x");
            return skeleton(message, org, lang, all, linkIds).isPresent();
        }

        /** The email of one claimed delivery. */
        public Rendered render(Recipient p) {
            Lang lang = languageFor(message, p.language());
            String[] fields = fields(p);
            int present = 0;
            for (int i = 0; i < fields.length; i++) if (fields[i] != null) present |= 1 << i;
            Optional<Skeleton> sk = skeletons.computeIfAbsent(lang.ordinal() << 16 | present,
                    k -> skeleton(message, org, lang, fields, linkIds));
            if (sk.isEmpty()) return BlastRenderer.this.render(message, org, p, linkIds);
            String unsubscribe = links.unsubscribeUrl(p.deliveryId());
            fields[UNSUBSCRIBE_FIELD] = unsubscribe;
            var v = new BlastTemplate.Values(fields, unsubscribe, links.openUrl(p.deliveryId()),
                    linkId -> links.clickUrl(p.deliveryId(), linkId));
            return new Rendered(BlastTemplate.fill(sk.get().subject(), v, BlastTemplate.Mode.SUBJECT), null, null,
                    unsubscribe, new Filled(sk.get().text(), sk.get().html(), v));
        }
    }

    private record Skeleton(BlastTemplate.Compiled subject, BlastTemplate.Compiled text, BlastTemplate.Compiled html) {
    }

    private static final int UNSUBSCRIBE_FIELD = MergeFields.FIELDS.indexOf("unsubscribe_url");
    private static final Pattern HREF = Pattern.compile("href=\"(https?://[^\"]+)\"");
    private final MergeFields merge;
    private final Templates templates;
    private final LinkSigner links;
    private final BlastTemplate markers = new BlastTemplate();

    public BlastRenderer(MergeFields merge, Templates templates, LinkSigner links) {
        this.merge = merge;
        this.templates = templates;
        this.links = links;
    }

    /** @param linkIds the message's tracked links (escaped href → id); empty when not tracking */
    public Prepared prepare(Message m, Organization org, Map<String, Long> linkIds) {
        return new Prepared(m, org, linkIds);
    }

    /** A person's merge values in {@link MergeFields#FIELDS} order, null where absent (as {@link #person}). */
    private String[] fields(Recipient p) {
        Map<String, Object> values = person(p, links.baseUrl(), "");
        String[] out = new String[MergeFields.FIELDS.size()];
        for (int i = 0; i < out.length; i++) out[i] = (String) values.get(MergeFields.FIELDS.get(i));
        out[UNSUBSCRIBE_FIELD] = "";  // always present; the delivery's own link is filled in later
        return out;
    }

    /**
     * The message rendered once with markers for every field this person has, or empty when
     * a per-person render is needed (a merge tag that does more than print, or a field inside a tag).
     */
    private Optional<Skeleton> skeleton(Message m, Organization org, Lang lang, String[] sample, Map<String, Long> linkIds) {
        boolean es = lang == Lang.ES;
        String body = es ? m.bodyEs() : m.body();
        String subjectSrc = es ? m.subjectEs() : m.subject();
        String preheaderSrc = es && m.preheaderEs() != null ? m.preheaderEs() : m.preheader();
        if (!BlastTemplate.simple(body) || !BlastTemplate.simple(subjectSrc) || !BlastTemplate.simple(preheaderSrc)
                || markers.occursIn(body) || markers.occursIn(subjectSrc) || markers.occursIn(preheaderSrc)) {
            return Optional.empty();
        }
        Map<String, Object> person = new LinkedHashMap<>();
        for (int i = 0; i < sample.length; i++) person.put(MergeFields.FIELDS.get(i), sample[i] == null ? null : markers.field(i));
        String html = Markdown.toSafeHtml(merge.render(body, person, true));
        if (markers.insideTag(html)) return Optional.empty();
        if (m.tracking() && !linkIds.isEmpty()) html = rewriteLinks(html, markers::click, linkIds);
        String subject = MessageFormatting.oneLine(merge.render(subjectSrc, person, false));
        Map<String, Object> model = new HashMap<>();
        model.put("org", org);
        model.put("lang", lang.code());
        model.put("subject", subject);
        model.put("preheader", merge.render(preheaderSrc, person, false));
        model.put("bodyHtml", new SafeString(html));
        model.put("bodyText", merge.render(body, person, false));
        model.put("unsubscribeUrl", markers.unsubscribe());
        model.put("pixelUrl", m.tracking() ? markers.pixel() : "");
        return Optional.of(new Skeleton(markers.compile(subject), markers.compile(templates.render("email/blast.text", model, lang)),
                markers.compile(templates.render("email/blast.html", model, lang))));
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
        if (track && !linkIds.isEmpty()) html = rewriteLinks(html, id -> links.clickUrl(p.deliveryId(), id), linkIds);
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
        // A blank value is absent: Pebble's default filter replaces it anyway, and a blast filled in
        // from one rendering must print the same as one rendered per person.
        m.values().removeIf(v -> v instanceof String s && s.isBlank());
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

    private static String rewriteLinks(String html, java.util.function.LongFunction<String> clickUrl, Map<String, Long> linkIds) {
        Matcher matcher = HREF.matcher(html);
        StringBuilder sb = new StringBuilder(html.length() + 256);
        while (matcher.find()) {
            Long id = linkIds.get(matcher.group(1));
            String href = id == null ? matcher.group(0) : "href=\"" + clickUrl.apply(id) + "\"";
            matcher.appendReplacement(sb, Matcher.quoteReplacement(href));
        }
        matcher.appendTail(sb);
        return sb.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
