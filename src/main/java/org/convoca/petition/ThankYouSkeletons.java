package org.convoca.petition;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.convoca.auth.Tokens;
import org.convoca.mail.BodyFills;
import org.convoca.mail.EmailRenderer;
import org.convoca.mail.OutboxBodies;
import org.convoca.web.Lang;
import org.unbescape.html.HtmlEscape;

/**
 * The thank-you email of one petition in one language, rendered once with markers where the
 * signer's name and referral code go, and stored once as a shared outbox body
 * ({@link OutboxBodies}); each signer's queued email is that body and their two values. The
 * template (layout, Markdown thank-you text through commonmark and the sanitizer, share links) is
 * the same for every signer of a petition; rendering it for each of them was a large part of a
 * signature's CPU, and storing it for each of them 2.5 kB of the 4.4 kB a signature wrote.
 *
 * <p>Expanded, the email is exactly what a full render gives: the name is escaped with the
 * escaper Pebble's autoescaping uses ({@code HtmlEscape.escapeHtml4Xml}) in the HTML part and left
 * as given in the text part; the code only appears inside links, where it passes URL encoding
 * unchanged because it is letters and digits. A code that is not (none is, today) takes the full
 * render. {@code ThankYouSkeletonTest} compares the two.
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

        /**
         * Letters only: unchanged by HTML escaping, URL encoding and MessageFormat. Derived from
         * the email's own content, so every instance and every restart stores the same body for
         * the same email; no petition text can contain the marker its own digest makes.
         */
        String marker(String role) {
            String hex = Tokens.sha256("convoca thank-you marker\u0000" + role + "\u0000" + parts);
            StringBuilder sb = new StringBuilder("zq").append(role.charAt(0));
            // Hex digits as the letters a to p.
            for (int i = 0; i < 12; i++) sb.append((char) ('a' + Character.digit(hex.charAt(i), 16)));
            return sb.append("qz").toString();
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

    /** A stored skeleton: the subject, and the shared body with the name marker first, then the code's. */
    record Skeleton(String subject, long bodyId) {
    }

    /** Renders the email with these two values in place of the signer's name and code. */
    interface Render {
        EmailRenderer.Rendered with(String name, String code);
    }

    private final OutboxBodies bodies;
    private final Map<Key, Skeleton> cache = new ConcurrentHashMap<>();

    ThankYouSkeletons(OutboxBodies bodies) {
        this.bodies = bodies;
    }

    static boolean fillable(String code) {
        return code != null && !code.isEmpty() && code.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
    }

    /**
     * The signer's email: the skeleton's subject and its stored body with this signer's name and
     * code; {@code render} makes the skeleton once per key (stored on first use).
     */
    Filled fill(Key key, Render render, String name, String code) {
        if (cache.size() > MAX) cache.clear();
        Skeleton s = cache.get(key);
        if (s == null) {
            String nameMarker = key.marker("name");
            String codeMarker = key.marker("code");
            EmailRenderer.Rendered r = render.with(nameMarker, codeMarker);
            s = new Skeleton(r.subject(), bodies.store(List.of(nameMarker, codeMarker), r.text(), r.html()));
            cache.put(key, s);
        }
        String shown = name == null ? "" : name;
        return new Filled(s.subject(), new BodyFills(s.bodyId(), List.of(shown, code),
                List.of(HtmlEscape.escapeHtml4Xml(shown), code)));
    }

    record Filled(String subject, BodyFills fills) {
    }
}
