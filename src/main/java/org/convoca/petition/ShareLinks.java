package org.convoca.petition;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.convoca.web.Lang;

/**
 * Links that spread a petition: the page with the signer's referral code, and ready-made shares
 * for WhatsApp (how parents talk), Facebook, X and email. Plain links, no third-party scripts.
 */
public final class ShareLinks {
    private final String baseUrl;

    public ShareLinks(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String pageUrl(Petition p) {
        return baseUrl + "/p/" + p.slug();
    }

    /** {@code url}, {@code whatsapp}, {@code facebook}, {@code x}, {@code email} (mailto). */
    public Map<String, String> links(Petition p, Lang lang, String referralCode) {
        String url = pageUrl(p) + (referralCode == null || referralCode.isBlank() ? "" : "?ref=" + enc(referralCode));
        String text = p.shareText(lang);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("url", url);
        m.put("whatsapp", "https://wa.me/?text=" + enc(text + " " + url));
        m.put("facebook", "https://www.facebook.com/sharer/sharer.php?u=" + enc(url));
        m.put("x", "https://x.com/intent/post?text=" + enc(text) + "&url=" + enc(url));
        m.put("email", "mailto:?subject=" + enc(p.title(lang)) + "&body=" + enc(text + "\n\n" + url));
        return m;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
