package org.convoca.petition;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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

    record Key(Petition petition, Lang lang, Object organization) {
    }

    record Skeleton(String subject, String text, String html) {
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
    EmailRenderer.Rendered fill(Key key, Function<Key, EmailRenderer.Rendered> render, String name, String code) {
        if (cache.size() > MAX) cache.clear();
        Skeleton s = cache.computeIfAbsent(key, k -> {
            EmailRenderer.Rendered r = render.apply(k);
            return new Skeleton(r.subject(), r.text(), r.html());
        });
        String shown = name == null ? "" : name;
        return new EmailRenderer.Rendered(s.subject(),
                s.text().replace(nameMarker, shown).replace(codeMarker, code),
                s.html().replace(nameMarker, HtmlEscape.escapeHtml4Xml(shown)).replace(codeMarker, code));
    }

    private static String nonce() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
    }
}
