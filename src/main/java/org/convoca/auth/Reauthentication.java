package org.convoca.auth;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.convoca.web.Access;
import org.convoca.web.FieldError;
import org.convoca.web.Halt;
import org.convoca.web.Principal;
import org.convoca.web.Views;

/**
 * Asks for the password again before sensitive actions (exporting people, sending to many): a
 * stolen or unattended session alone cannot take the list. A confirmation lasts {@link #FRESH}.
 * API tokens are machine credentials and are not asked.
 */
public final class Reauthentication {
    public static final Duration FRESH = Duration.ofMinutes(10);
    private final SessionRepository sessions;
    private final UserRepository users;
    private final Views views;

    public Reauthentication(SessionRepository sessions, UserRepository users, Views views) {
        this.sessions = sessions;
        this.users = users;
        this.views = views;
    }

    /** A handler that runs only after a recent password confirmation (else: to the confirm page and back). */
    public Handler guard(Handler handler) {
        return guardIf(ctx -> true, ctx -> ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()), handler);
    }

    /** The same, when {@code needed} says so; {@code back} is where to return (a page, for a POST). */
    public Handler guardIf(Predicate<Context> needed, Function<Context, String> back, Handler handler) {
        return ctx -> {
            Principal p = Access.requirePrincipal(ctx);
            if (p.sessionHash() != null && needed.test(ctx) && !sessions.reauthenticatedWithin(p.sessionHash(), FRESH)) {
                ctx.redirect("/admin/confirm?next=" + URLEncoder.encode(back.apply(ctx), StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
                throw new Halt();
            }
            handler.handle(ctx);
        };
    }

    public void form(Context ctx) {
        views.render(ctx, "auth/confirm", Map.of("next", AuthRoutes.safeNext(ctx.queryParam("next"))));
    }

    public void confirm(Context ctx) {
        Principal p = Access.requirePrincipal(ctx);
        String next = AuthRoutes.safeNext(ctx.formParam("next"));
        String password = ctx.formParam("password");
        if (password == null || password.length() > Passwords.MAX_LENGTH
                || !Passwords.verify(password, users.passwordHash(p.user().id()).orElse(""))) {
            views.render(ctx, 422, "auth/confirm", Map.of("next", next,
                    "errors", views.errorMessages(ctx, List.of(new FieldError("password", "password.current_wrong")))));
            return;
        }
        sessions.markReauthenticated(p.sessionHash());
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }
}
