package org.convoca.auth;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convoca.Config;
import org.convoca.db.AppSecrets;
import org.convoca.mail.EmailRenderer;
import org.convoca.mail.Outbox;
import org.convoca.web.Access;
import org.convoca.web.Cookies;
import org.convoca.web.ErrorMap;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Principal;
import org.convoca.web.Views;
import org.jooq.DSLContext;

/** Staff sign-in, sign-out and password reset by email. */
public final class AuthRoutes {
    // Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
    private static final String DUMMY_HASH = Passwords.hash("not-a-real-password-" + Tokens.random());

    private final DSLContext dsl;
    private final Views views;
    private final UserRepository users;
    private final SessionRepository sessions;
    private final LoginThrottle throttle;
    private final PasswordResetRepository resets;
    private final EmailRenderer emails;
    private final AppSecrets secrets;
    private final Cookies cookies;
    private final Config config;
    private TwoFactorRoutes twoFactor;

    public AuthRoutes(DSLContext dsl, Views views, UserRepository users, SessionRepository sessions,
                      LoginThrottle throttle, PasswordResetRepository resets, EmailRenderer emails,
                      AppSecrets secrets, Cookies cookies, Config config) {
        this.dsl = dsl;
        this.views = views;
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.resets = resets;
        this.emails = emails;
        this.secrets = secrets;
        this.cookies = cookies;
        this.config = config;
    }

    /** The second factor, for accounts that enabled it (wired after construction: the two need each other's parts). */
    public AuthRoutes withTwoFactor(TwoFactorRoutes twoFactor) {
        this.twoFactor = twoFactor;
        return this;
    }

    public void loginForm(Context ctx) {
        if (Access.principal(ctx).isPresent()) {
            ctx.redirect(safeNext(ctx.queryParam("next")), HttpStatus.SEE_OTHER);
            return;
        }
        views.render(ctx, "auth/login", Map.of("email", "", "next", nz(ctx.queryParam("next"))));
    }

    public void login(Context ctx) {
        String email = nz(ctx.formParam("email")).strip();
        String password = nz(ctx.formParam("password"));
        String next = nz(ctx.formParam("next"));
        String normalized = Emails.normalize(email);
        String client = secrets.hmac(ctx.ip());
        if (throttle.isBlocked(normalized, client)) {
            renderLoginError(ctx, 429, email, next, "login.throttled");
            return;
        }
        Optional<User> user = email.length() > 254 || password.length() > Passwords.MAX_LENGTH
                ? Optional.empty() : users.findByEmail(email);
        String hash = user.flatMap(u -> users.passwordHash(u.id())).orElse(DUMMY_HASH);
        boolean ok = Passwords.verify(password, hash) && user.isPresent();
        if (!ok) {
            throttle.recordFailure(normalized, client);
            renderLoginError(ctx, 401, email, next, "login.failed");
            return;
        }
        throttle.clear(normalized);
        if (twoFactor != null && twoFactor.challengeIfEnabled(ctx, user.get(), safeNext(next))) return;
        // A fresh session id at every login: an id planted before login is worthless after it.
        Access.principal(ctx).map(Principal::sessionHash).ifPresent(sessions::delete);
        cookies.setSession(ctx, sessions.create(user.get().id()));
        ctx.redirect(safeNext(next), HttpStatus.SEE_OTHER);
    }

    public void logout(Context ctx) {
        Access.principal(ctx).map(Principal::sessionHash).ifPresent(sessions::delete);
        cookies.clearSession(ctx);
        views.redirectWithFlash(ctx, "/login", "logout.done");
    }

    public void forgotForm(Context ctx) {
        views.render(ctx, "auth/forgot", Map.of("email", ""));
    }

    public void forgot(Context ctx) {
        String email = nz(ctx.formParam("email")).strip();
        if (!Emails.isValid(email)) {
            views.render(ctx, 422, "auth/forgot", Map.of("email", email,
                    "errors", views.errorMessages(ctx, List.of(new FieldError("email", "field.email.invalid")))));
            return;
        }
        users.findByEmail(email).ifPresent(user -> dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            String token = resets.create(tx, user.id());
            Map<String, Object> model = new HashMap<>();
            model.put("name", user.displayName());
            model.put("link", config.baseUrl() + "/password/reset?token=" + token);
            model.put("minutes", PasswordResetRepository.VALID_FOR.toMinutes());
            Outbox.enqueue(tx, emails.email("password_reset", null, user.email(), user.name(), views.lang(ctx), model));
        }));
        // The same answer whether or not the account exists: the form must not reveal who is staff.
        views.redirectWithFlash(ctx, "/login", "forgot.sent");
    }

    public void resetForm(Context ctx) {
        String token = nz(ctx.queryParam("token"));
        if (resets.validUser(token).isEmpty()) {
            throw new HtmlError(410, "reset.expired");
        }
        views.render(ctx, "auth/reset", Map.of("token", token));
    }

    public void reset(Context ctx) {
        String token = nz(ctx.formParam("token"));
        String password = nz(ctx.formParam("password"));
        String problem = Passwords.problem(password);
        if (problem == null && !password.equals(ctx.formParam("password_confirm"))) problem = "password.mismatch";
        if (problem != null) {
            views.render(ctx, 422, "auth/reset", Map.of("token", token,
                    "errors", views.errorMessages(ctx, List.of(new FieldError("password", problem)))));
            return;
        }
        String hash = Passwords.hash(password);
        Optional<Long> userId = dsl.transactionResult(cfg -> {
            Optional<Long> id = resets.consume(cfg.dsl(), token);
            id.ifPresent(u -> {
                new UserRepository(cfg.dsl()).updatePassword(u, hash);
                new SessionRepository(cfg.dsl()).deleteAllFor(u);  // sign out everywhere
            });
            return id;
        });
        if (userId.isEmpty()) throw new HtmlError(410, "reset.expired");
        views.redirectWithFlash(ctx, "/login", "reset.done");
    }

    public void passwordForm(Context ctx) {
        views.render(ctx, "auth/password", Map.of());
    }

    /** Change one's own password: needs the current one, ends every other session, keeps this one. */
    public void changePassword(Context ctx) {
        Principal me = Access.requirePrincipal(ctx);
        String current = nz(ctx.formParam("current_password"));
        String password = nz(ctx.formParam("password"));
        List<FieldError> errors = new java.util.ArrayList<>();
        if (current.length() > Passwords.MAX_LENGTH
                || !Passwords.verify(current, users.passwordHash(me.user().id()).orElse(DUMMY_HASH))) {
            errors.add(new FieldError("current_password", "password.current_wrong"));
        }
        String problem = Passwords.problem(password);
        if (problem == null && !password.equals(ctx.formParam("password_confirm"))) problem = "password.mismatch";
        if (problem != null) errors.add(new FieldError("password", problem));
        if (!errors.isEmpty()) {
            views.render(ctx, 422, "auth/password", Map.of("errors", views.errorMessages(ctx, errors)));
            return;
        }
        String hash = Passwords.hash(password);
        String token = dsl.transactionResult(cfg -> {
            new UserRepository(cfg.dsl()).updatePassword(me.user().id(), hash);
            SessionRepository tx = new SessionRepository(cfg.dsl());
            tx.deleteAllFor(me.user().id());
            return tx.create(me.user().id());
        });
        cookies.setSession(ctx, token);
        views.redirectWithFlash(ctx, "/admin", "password.changed");
    }

    private void renderLoginError(Context ctx, int status, String email, String next, String key) {
        views.render(ctx, status, "auth/login", Map.of("email", email, "next", next,
                "errors", ErrorMap.of("form", views.t(ctx, key))));
    }

    /** Only local paths: a crafted ?next= must not send a fresh session to another site. */
    static String safeNext(String next) {
        if (next == null || next.isBlank()) return "/admin";
        if (!next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.contains("\r") || next.contains("\n")) {
            return "/admin";
        }
        return next;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
