package org.convoca.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.util.Map;
import java.util.Optional;
import org.simplejavamail.utils.mail.dkim.DkimMessage;
import org.simplejavamail.utils.mail.dkim.DkimSigner;

/**
 * DKIM signing of blasts with simple-java-mail's utils-mail-dkim (RSA-SHA256, relaxed
 * canonicalisation). Configured by DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE (a PKCS#8
 * DER private key); absent any of them, mail goes unsigned. List-Unsubscribe and
 * List-Unsubscribe-Post are signed, as RFC 8058 requires for one-click unsubscribe.
 */
public final class Dkim {
    private final DkimSigner signer;

    private Dkim(DkimSigner signer) {
        this.signer = signer;
    }

    public static Optional<Dkim> fromEnvironment(Map<String, String> env) {
        String domain = env.get("DKIM_DOMAIN");
        String selector = env.get("DKIM_SELECTOR");
        String keyFile = env.get("DKIM_PRIVATE_KEY_FILE");
        if (blank(domain) || blank(selector) || blank(keyFile)) return Optional.empty();
        return Optional.of(of(domain.strip(), selector.strip(), new File(keyFile.strip()), true));
    }

    /** @param checkDnsKey false in tests, where the selector's DNS record does not exist */
    public static Dkim of(String domain, String selector, File privateKey, boolean checkDnsKey) {
        try {
            DkimSigner s = new DkimSigner(domain, selector, privateKey);
            s.setCheckDomainKey(checkDnsKey);
            s.addHeaderToSign("List-Unsubscribe");
            s.addHeaderToSign("List-Unsubscribe-Post");
            s.addHeaderToSign("Message-ID");
            return new Dkim(s);
        } catch (Exception e) {
            throw new IllegalStateException("DKIM key could not be read: " + e.getMessage(), e);
        }
    }

    MimeMessage sign(MimeMessage msg) throws MessagingException {
        return new DkimMessage(msg, signer);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
