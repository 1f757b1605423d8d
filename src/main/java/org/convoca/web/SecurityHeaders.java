package org.convoca.web;

import io.javalin.http.Context;

/**
 * Headers on every response: a strict CSP (no inline script or style anywhere; pages use files
 * under /static), no framing (the petition embed will opt out), nosniff, a referrer policy that
 * keeps petition URLs with referral codes on our own origin, and HSTS behind https.
 */
public final class SecurityHeaders {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
            + "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    private final boolean https;

    public SecurityHeaders(boolean https) {
        this.https = https;
    }

    /** After the handler: JSON without a charset gets one (every content type names its charset). */
    public void charset(Context ctx) {
        String type = ctx.res().getContentType();
        if (type != null && type.startsWith("application/json") && !type.contains("charset")) {
            ctx.contentType("application/json; charset=utf-8");
        }
    }

    public void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "strict-origin-when-cross-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), interest-cohort=()");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        if (https) {
            ctx.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
    }
}
