package org.convoca.auth;

import com.sanctionco.jmail.JMail;
import java.util.Locale;

/** Email normalisation and syntax: "Ana@X.org " and "ana@x.org" are one address. */
public final class Emails {
    /** Built once: the validator is immutable, and building it per call was a tenth of an import row's cost. */
    private static final com.sanctionco.jmail.EmailValidator VALIDATOR = JMail.strictValidator().requireTopLevelDomain();

    private Emails() {
    }

    public static String normalize(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }

    /** Syntax only (JMail); confirmation is what proves an address. */
    public static boolean isValid(String email) {
        if (email == null) return false;
        String e = email.strip();
        return e.length() <= 254 && VALIDATOR.isValid(e);
    }
}
