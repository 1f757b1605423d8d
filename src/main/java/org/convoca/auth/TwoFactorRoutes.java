package org.convoca.auth;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.Access;
import org.convoca.web.Cookies;
import org.convoca.web.FieldError;
import org.convoca.web.Principal;
import org.convoca.web.Views;

/**
 * The optional TOTP second factor: enrolment on the staff security page, and the code step of
 * sign-in for accounts that turned it on.
 */
public final class TwoFactorRoutes {
    private final TwoFactorRepository twoFactor;
    private final SessionRepository sessions;
    private final UserRepository users;
    private final Views views;
    private final Cookies cookies;

    public TwoFactorRoutes(TwoFactorRepository twoFactor, SessionRepository sessions, UserRepository users,
                           Views views, Cookies cookies) {
        this.twoFactor = twoFactor;
        this.sessions = sessions;
        this.users = users;
        this.views = views;
        this.cookies = cookies;
    }

    /** Called after a correct password: true when the login continues at the code step. */
    public boolean challengeIfEnabled(Context ctx, User user, String next) {
        if (twoFactor.secret(user.id()).isEmpty()) return false;
        cookies.setChallenge(ctx, twoFactor.createChallenge(user.id(), next));
        ctx.redirect("/login/code", HttpStatus.SEE_OTHER);
        return true;
    }

    public void codeForm(Context ctx) {
        if (twoFactor.findChallenge(ctx.cookie(cookies.challengeName())).isEmpty()) {
            ctx.redirect("/login", HttpStatus.SEE_OTHER);
            return;
        }
        views.render(ctx, "auth/code", Map.of());
    }

    public void verifyCode(Context ctx) {
        var challenge = twoFactor.findChallenge(ctx.cookie(cookies.challengeName())).orElse(null);
        if (challenge == null) {
            views.redirectWithFlash(ctx, "/login", "totp.expired");
            return;
        }
        String secret = twoFactor.secret(challenge.userId()).orElse(null);
        long step = Totp.matchingStep(secret, ctx.formParam("code"), System.currentTimeMillis() / 1000);
        if (step < 0 || !twoFactor.consumeStep(challenge.userId(), step)) {
            twoFactor.recordFailedAttempt(challenge.tokenHash());
            views.render(ctx, 422, "auth/code", Map.of("errors",
                    views.errorMessages(ctx, List.of(new FieldError("code", "totp.wrong")))));
            return;
        }
        twoFactor.deleteChallenge(challenge.tokenHash());
        cookies.clearChallenge(ctx);
        Access.principal(ctx).map(Principal::sessionHash).ifPresent(sessions::delete);
        cookies.setSession(ctx, sessions.create(challenge.userId()));
        ctx.redirect(AuthRoutes.safeNext(challenge.next()), HttpStatus.SEE_OTHER);
    }

    public void securityPage(Context ctx) {
        renderSecurity(ctx, 200, List.of());
    }

    public void startEnrollment(Context ctx) {
        twoFactor.startEnrollment(Access.requirePrincipal(ctx).user().id(), Totp.newSecret());
        renderSecurity(ctx, 200, List.of());
    }

    public void confirmEnrollment(Context ctx) {
        long userId = Access.requirePrincipal(ctx).user().id();
        String pending = twoFactor.pendingSecret(userId).orElse(null);
        long step = Totp.matchingStep(pending, ctx.formParam("code"), System.currentTimeMillis() / 1000);
        if (pending == null || step < 0) {
            renderSecurity(ctx, 422, List.of(new FieldError("code", "totp.wrong")));
            return;
        }
        twoFactor.enable(userId, pending, step);
        views.redirectWithFlash(ctx, "/admin/security", "totp.enabled");
    }

    public void disable(Context ctx) {
        long userId = Access.requirePrincipal(ctx).user().id();
        String password = ctx.formParam("current_password");
        if (password == null || password.length() > Passwords.MAX_LENGTH
                || !Passwords.verify(password, users.passwordHash(userId).orElse(""))) {
            renderSecurity(ctx, 422, List.of(new FieldError("current_password", "password.current_wrong")));
            return;
        }
        twoFactor.disable(userId);
        views.redirectWithFlash(ctx, "/admin/security", "totp.disabled");
    }

    private void renderSecurity(Context ctx, int status, List<FieldError> errors) {
        User me = Access.requirePrincipal(ctx).user();
        String pending = twoFactor.pendingSecret(me.id()).orElse(null);
        Map<String, Object> model = new HashMap<>();
        model.put("enabled", twoFactor.secret(me.id()).isPresent());
        model.put("pendingSecret", pending);
        model.put("qr", pending == null ? null : Totp.qrDataUri(pending, me.email(), "Convoca"));
        model.put("errors", views.errorMessages(ctx, errors));
        views.render(ctx, status, "auth/security", model);
    }
}
