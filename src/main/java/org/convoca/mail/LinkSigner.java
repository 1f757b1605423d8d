package org.convoca.mail;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import org.convoca.db.AppSecrets;

/**
 * Public links inside a blast (unsubscribe, open pixel, click redirect) carry the delivery id and
 * an HMAC of it, so nobody can unsubscribe someone else or point a redirect at a URL of their own.
 */
public final class LinkSigner {
    private final AppSecrets secrets;
    private final String baseUrl;

    public LinkSigner(AppSecrets secrets, String baseUrl) {
        this.secrets = secrets;
        this.baseUrl = baseUrl;
    }

    public String token(String purpose, long deliveryId, long extra) {
        return deliveryId + (extra == 0 ? "" : "-" + extra) + "." + sig(purpose, deliveryId, extra);
    }

    private String sig(String purpose, long deliveryId, long extra) {
        return secrets.hmac(purpose + ":" + deliveryId + ":" + extra).substring(0, 24);
    }

    /** The delivery id of a valid token, or -1. {@code extra} receives the second number, if any. */
    public long verify(String purpose, String token, long[] extra) {
        if (token == null) return -1;
        int dot = token.indexOf('.');
        if (dot < 1) return -1;
        String[] ids = token.substring(0, dot).split("-", 2);
        try {
            long id = Long.parseLong(ids[0]);
            long x = ids.length > 1 ? Long.parseLong(ids[1]) : 0;
            boolean ok = MessageDigest.isEqual(sig(purpose, id, x).getBytes(StandardCharsets.UTF_8),
                    token.substring(dot + 1).getBytes(StandardCharsets.UTF_8));
            if (!ok) return -1;
            if (extra != null && extra.length > 0) extra[0] = x;
            return id;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String unsubscribeUrl(long deliveryId) {
        return baseUrl + "/u/" + token("u", deliveryId, 0);
    }

    public String openUrl(long deliveryId) {
        return baseUrl + "/t/o/" + token("o", deliveryId, 0) + ".gif";
    }

    public String clickUrl(long deliveryId, long linkId) {
        return baseUrl + "/t/c/" + token("c", deliveryId, linkId);
    }

    public String baseUrl() {
        return baseUrl;
    }
}
