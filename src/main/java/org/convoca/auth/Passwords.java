package org.convoca.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/** Argon2id password hashing (password4j), with OWASP's recommended minimum parameters. */
public final class Passwords {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 256;
    // m=19 MiB, t=2, p=1: OWASP Password Storage Cheat Sheet's baseline for Argon2id.
    private static final Argon2Function ARGON2 = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);

    private Passwords() {
    }

    public static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
    }

    public static boolean verify(String password, String hash) {
        if (password == null || hash == null) return false;
        return Password.check(password, hash).with(ARGON2);
    }

    /** A message key when the password is not acceptable, else null. */
    public static String problem(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) return "password.too_short";
        if (password.length() > MAX_LENGTH) return "password.too_long";
        if (CommonPasswords.SET.contains(password.toLowerCase(java.util.Locale.ROOT))) return "password.common";
        return null;
    }

    /** The bundled list of breached passwords of 12+ characters (OWASP SecLists; see security/NOTICE.md). */
    private static final class CommonPasswords {
        static final java.util.Set<String> SET = load();

        private static java.util.Set<String> load() {
            try (var in = Passwords.class.getResourceAsStream("/security/common-passwords-12plus.txt.gz");
                 var reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                         new java.util.zip.GZIPInputStream(in), java.nio.charset.StandardCharsets.UTF_8))) {
                java.util.Set<String> set = new java.util.HashSet<>(60_000);
                reader.lines().forEach(set::add);
                return set;
            } catch (java.io.IOException | NullPointerException e) {
                throw new IllegalStateException("The bundled breached-password list is missing", e);
            }
        }
    }
}
