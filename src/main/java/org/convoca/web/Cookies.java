package org.convoca.web;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

/**
 * The cookies Convoca sets, all HttpOnly and SameSite=Lax; Secure with the {@code __Host-}
 * prefix when the public address is https.
 */
public final class Cookies {
    private final boolean secure;

    public Cookies(boolean secure) {
        this.secure = secure;
    }

    public String sessionName() {
        return secure ? "__Host-convoca_session" : "convoca_session";
    }

    public String csrfName() {
        return secure ? "__Host-convoca_csrf" : "convoca_csrf";
    }

    public void setSession(Context ctx, String token) {
        ctx.cookie(cookie(sessionName(), token, -1));
    }

    public void clearSession(Context ctx) {
        ctx.cookie(cookie(sessionName(), "", 0));
    }

    /** The second-factor step of a sign-in in progress. */
    public String challengeName() {
        return secure ? "__Host-convoca_mfa" : "convoca_mfa";
    }

    public void setChallenge(Context ctx, String token) {
        ctx.cookie(cookie(challengeName(), token, 300));
    }

    public void clearChallenge(Context ctx) {
        ctx.cookie(cookie(challengeName(), "", 0));
    }

    public void setCsrf(Context ctx, String token) {
        ctx.cookie(cookie(csrfName(), token, -1));
    }

    private Cookie cookie(String name, String value, int maxAge) {
        return new Cookie(name, value, "/", maxAge, secure, true, null, SameSite.LAX);
    }
}
