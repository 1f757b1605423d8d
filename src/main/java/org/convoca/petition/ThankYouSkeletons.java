package org.convoca.petition;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.convoca.mail.EmailRenderer;
import org.convoca.web.Lang;
import org.unbescape.html.HtmlEscape;

/**
 * The thank-you email of one petition in one language, rendered once with markers where the
 * signer's name and referral code go, then filled per signer. The template (layout, Markdown
 * thank-you text through commonmark and the sanitizer, share links) is the same for every signer
 * of a petition; rendering it for each of them was a large part of a signature's CPU.
 *
 * <p>Filling gives exactly what a full render gives: the name is escaped with the escaper Pebble's
 * autoescaping uses ({@code HtmlEscape.escapeHtml4Xml}) in the HTML part and left as given in the
 * text part; the code only appears inside links, where it passes URL encoding unchanged because it
 * is letters and digits. A code that is not (none is, today) takes the full render.
 * {@code ThankYouSkeletonTest} compares the two.
 */
final class ThankYouSkeletons {
    /** Skeletons kept at most; a new petition text or organization footer makes a new key. */
    private static final int MAX = 256;

    /**
     * What the email is made of: the petition's texts in this language (not the whole petition:
     * comparing every field of it on each signature showed in profiles), the language, the footer.
     */
    static final class Key {
        private final List<Object> parts;
        private final int hash;

        Key(Petition p, Lang lang, Object organization) {
            this.parts = List.of(p.slug(), p.title(lang), p.thankYou(lang), p.shareText(lang), lang, organization);
            this.hash = parts.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.parts.equals(parts);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A rendered part cut at its markers: literal, hole, literal, …, literal. */
    record Part(String[] literals, boolean[] isName, int length) {
        String fill(String name, String code) {
            StringBuilder out = new StringBuilder(length + 64);
            for (int i = 0; i < isName.length; i++) {
                out.append(literals[i]).append(isName[i] ? name : code);
            }
            return out.append(literals[literals.length - 1]).toString();
        }
    }

    record Skeleton(String subject, Part text, Part html) {
    }

    private final String nameMarker;
    private final String codeMarker;
    private final Map<Key, Skeleton> cache = new ConcurrentHashMap<>();

    ThankYouSkeletons() {
        // Letters only: unchanged by HTML escaping, URL encoding and MessageFormat, and never in a
        // petition's own text by chance.
        String nonce = nonce();
        this.nameMarker = "zqn" + nonce + "qz";
        this.codeMarker = "zqc" + nonce + "qz";
    }

    /** Values a full render would use for the two holes, to render the skeleton with. */
    String nameMarker() {
        return nameMarker;
    }

    String codeMarker() {
        return codeMarker;
    }

    static boolean fillable(String code) {
        return code != null && !code.isEmpty() && code.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
    }

    /** The rendered email for this signer; {@code render} makes the skeleton once per key. */
    EmailRenderer.Rendered fill(Key key, Supplier<EmailRenderer.Rendered> render, String name, String code) {
        if (cache.size() > MAX) cache.clear();
        Skeleton s = cache.get(key);
        if (s == null) {
            EmailRenderer.Rendered r = render.get();
            s = new Skeleton(r.subject(), cut(r.text()), cut(r.html()));
            cache.put(key, s);
        }
        String shown = name == null ? "" : name;
        return new EmailRenderer.Rendered(s.subject(), s.text().fill(shown, code),
                s.html().fill(HtmlEscape.escapeHtml4Xml(shown), code));
    }

    /** Cuts a rendered part at the markers, once, so filling is appending (String.replace was slower). */
    private Part cut(String rendered) {
        java.util.List<String> literals = new java.util.ArrayList<>();
        java.util.List<Boolean> holes = new java.util.ArrayList<>();
        int from = 0;
        while (true) {
            int name = rendered.indexOf(nameMarker, from);
            int code = rendered.indexOf(codeMarker, from);
            int at = name < 0 ? code : code < 0 ? name : Math.min(name, code);
            if (at < 0) break;
            literals.add(rendered.substring(from, at));
            holes.add(at == name);
            from = at + (at == name ? nameMarker.length() : codeMarker.length());
        }
        literals.add(rendered.substring(from));
        boolean[] isName = new boolean[holes.size()];
        for (int i = 0; i < isName.length; i++) isName[i] = holes.get(i);
        return new Part(literals.toArray(String[]::new), isName, rendered.length());
    }

    private static String nonce() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
    }
}
