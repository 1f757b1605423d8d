package org.convoca.supporter;

import java.util.Optional;
import org.convoca.auth.Tokens;
import org.convoca.db.AppSecrets;

/**
 * Signed links to a person's "update my preferences / unsubscribe" page, for the footer of every
 * email: {@code /preferences?p=ID&t=HMAC}. The HMAC (AppSecrets) proves the link was ours, so no
 * one can change another person's preferences by guessing ids.
 */
public final class PreferenceLinks {
    private final AppSecrets secrets;
    private final String baseUrl;

    public PreferenceLinks(AppSecrets secrets, String baseUrl) {
        this.secrets = secrets;
        this.baseUrl = baseUrl;
    }

    public String url(long personId) {
        return baseUrl + "/preferences?p=" + personId + "&t=" + token(personId);
    }

    /** The RFC 8058 one-click target for the List-Unsubscribe header. */
    public String oneClickUrl(long personId) {
        return baseUrl + "/preferences/one-click?p=" + personId + "&t=" + token(personId);
    }

    public String token(long personId) {
        return secrets.hmac("preferences:" + personId).substring(0, 32);
    }

    /** The person a link names, when its signature holds. */
    public Optional<Long> verify(String p, String t) {
        if (p == null || t == null || p.length() > 19) return Optional.empty();
        try {
            long id = Long.parseLong(p);
            return Tokens.constantTimeEquals(token(id), t) ? Optional.of(id) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
