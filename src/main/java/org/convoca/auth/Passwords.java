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
        return null;
    }
}
