package org.convoca.mail.inbound;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Locale;
import org.convoca.mail.LinkSigner;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * The per-delivery addresses of a blast under BOUNCE_DOMAIN (VERP): the envelope sender
 * {@code bounces+<id>.<sig>@BOUNCE_DOMAIN}, to which receiving servers return bounces, and the
 * List-Unsubscribe mailto {@code unsubscribe+<id>.<sig>@BOUNCE_DOMAIN}. The signature is an HMAC
 * of the delivery id, so mail to a made-up address can neither bounce nor unsubscribe anyone.
 */
public final class ReturnPath {
    /** Which of our two addresses. */
    public enum Kind {
        BOUNCE("bounces"), UNSUBSCRIBE("unsubscribe");

        final String localPrefix;

        Kind(String localPrefix) {
            this.localPrefix = localPrefix;
        }
    }

    /**
     * Both addresses of a delivery carry the same signature: they travel in the same message to
     * the same people, so one may stand for the other, and the sender computes one HMAC, not two.
     */
    private static final String PURPOSE = "verp";

    private final LinkSigner signer;
    private final String domain;

    public ReturnPath(LinkSigner signer, String domain) {
        this.signer = signer;
        this.domain = domain.strip().toLowerCase(Locale.ROOT);
    }

    public String address(Kind kind, long deliveryId) {
        return address(kind, signer.token(PURPOSE, deliveryId, 0));
    }

    private String address(Kind kind, String token) {
        return kind.localPrefix + "+" + token + "@" + domain;
    }

    /** Whether the address has the shape of one of ours (signed or not). */
    public boolean looksLike(String address, Kind kind) {
        return localToken(address, kind) != null;
    }

    /** The delivery id of a genuine address of this kind; -1 for anything else, forgeries included. */
    public long deliveryOf(String address, Kind kind) {
        String token = localToken(address, kind);
        // Hex signatures: some servers change the case of a local part on the way back.
        return token == null ? -1 : signer.verify(PURPOSE, token.toLowerCase(Locale.ROOT), null);
    }

    private String localToken(String address, Kind kind) {
        if (address == null) return null;
        String a = address.strip();
        if (a.startsWith("<") && a.endsWith(">")) a = a.substring(1, a.length() - 1);
        int at = a.lastIndexOf('@');
        if (at < 0 || !a.substring(at + 1).equalsIgnoreCase(domain)) return null;
        String local = a.substring(0, at);
        String prefix = kind.localPrefix + "+";
        if (local.length() <= prefix.length() || !local.regionMatches(true, 0, prefix, 0, prefix.length())) return null;
        return local.substring(prefix.length());
    }

    /** The two addresses of one delivery: envelope sender (bounces) and List-Unsubscribe mailto. */
    public record Verp(String bounce, String unsubscribe) {
    }

    /** Both addresses of a delivery, for BlastEmail to write into the message and its envelope. */
    public Verp of(long deliveryId) {
        String token = signer.token(PURPOSE, deliveryId, 0);
        return new Verp(address(Kind.BOUNCE, token), address(Kind.UNSUBSCRIBE, token));
    }
}
