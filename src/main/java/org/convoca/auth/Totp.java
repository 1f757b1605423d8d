package org.convoca.auth;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import dev.samstevens.totp.util.Utils;

/**
 * TOTP codes (RFC 6238: SHA-1, 6 digits, 30 s) through dev.samstevens.totp. The matching time step
 * is returned so the caller can refuse a code that was already used (replay).
 */
public final class Totp {
    static final int PERIOD = 30;
    private static final CodeGenerator CODES = new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6);

    private Totp() {
    }

    public static String newSecret() {
        return new DefaultSecretGenerator(32).generate();
    }

    /** The time step a code belongs to, allowing one step of clock drift either way; -1 if none. */
    public static long matchingStep(String secret, String code, long epochSeconds) {
        if (secret == null || code == null) return -1;
        String digits = code.replaceAll("\\s", "");
        if (!digits.matches("\\d{6}")) return -1;
        long now = epochSeconds / PERIOD;
        try {
            for (long step = now - 1; step <= now + 1; step++) {
                if (Tokens.constantTimeEquals(CODES.generate(secret, step), digits)) return step;
            }
        } catch (CodeGenerationException e) {
            return -1;
        }
        return -1;
    }

    /** The code for a moment (tests, and nothing else, need to compute one). */
    public static String codeAt(String secret, long epochSeconds) {
        try {
            return CODES.generate(secret, epochSeconds / PERIOD);
        } catch (CodeGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An otpauth:// QR code as a data: URI image, for authenticator apps. */
    public static String qrDataUri(String secret, String account, String issuer) {
        QrData data = new QrData.Builder().label(account).secret(secret).issuer(issuer)
                .algorithm(HashingAlgorithm.SHA1).digits(6).period(PERIOD).build();
        ZxingPngQrGenerator generator = new ZxingPngQrGenerator();
        try {
            return Utils.getDataUriForImage(generator.generate(data), generator.getImageMimeType());
        } catch (QrGenerationException e) {
            throw new IllegalStateException(e);
        }
    }
}
