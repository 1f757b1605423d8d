package org.convoca.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.security.RouteRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.convoca.auth.ApiKeyRepository;
import org.convoca.auth.SessionRepository;
import org.convoca.auth.Tokens;

/**
 * Who may call what. {@link #resolvePrincipal} reads the session cookie (pages) or the API token
 * (/api); {@link #enforce} runs before every matched route: deny by default, the route's role,
 * then CSRF on state-changing page requests.
 */
public final class Access {
    public static final String CSRF_FIELD = "_csrf";
    private static final String PRINCIPAL = "convoca.principal";

    private final SessionRepository sessions;
    private final ApiKeyRepository apiKeys;
    private final Cookies cookies;

    public Access(SessionRepository sessions, ApiKeyRepository apiKeys, Cookies cookies) {
        this.sessions = sessions;
        this.apiKeys = apiKeys;
        this.cookies = cookies;
    }

    public static boolean isApi(Context ctx) {
        return ctx.path().startsWith("/api/");
    }

    public static Optional<Principal> principal(Context ctx) {
        return Optional.ofNullable(ctx.attribute(PRINCIPAL));
    }

    public static Principal requirePrincipal(Context ctx) {
        return principal(ctx).orElseThrow(() -> new HtmlError(401, "error.unauthorized"));
    }

    /** Before every matched route: find the caller, once. */
    public void resolvePrincipal(Context ctx) {
        if (isApi(ctx)) {
            apiToken(ctx).flatMap(apiKeys::authenticate)
                    .ifPresent(user -> ctx.attribute(PRINCIPAL, new Principal(user, null, null)));
        } else {
            sessions.find(ctx.cookie(cookies.sessionName()))
                    .ifPresent(s -> ctx.attribute(PRINCIPAL, new Principal(s.user(), s.tokenHash(), s.csrfToken())));
        }
    }

    public void enforce(Context ctx) {
        Role required = requiredRole(ctx.routeRoles());
        if (required == null) {
            // A route registered without a role is a programming error; refuse rather than expose it.
            throw isApi(ctx) ? new Problem(403, "Forbidden", "This route is not open") : new HtmlError(403, "error.forbidden");
        }
        if (!required.isPublic()) {
            Principal p = principal(ctx).orElse(null);
            if (p == null) {
                refuseAnonymous(ctx);
            } else if (!p.role().covers(required)) {
                throw isApi(ctx) ? new Problem(403, "Forbidden", "Your role may not use this") : new HtmlError(403, "error.forbidden");
            }
        }
        if (!isApi(ctx) && required != Role.PUBLIC_FORM && changesState(ctx)) {
            checkCsrf(ctx);
        }
    }

    /** The CSRF token a form on this page must carry: the session's, or the anonymous cookie's. */
    public String csrfToken(Context ctx) {
        Optional<Principal> p = principal(ctx);
        if (p.isPresent() && p.get().csrfToken() != null) return p.get().csrfToken();
        String token = ctx.cookie(cookies.csrfName());
        if (token == null || token.length() < 20) {
            token = ctx.attribute("convoca.newCsrf");
            if (token == null) {
                token = Tokens.random();
                ctx.attribute("convoca.newCsrf", token);
                cookies.setCsrf(ctx, token);
            }
        }
        return token;
    }

    private void checkCsrf(Context ctx) {
        String expected = principal(ctx).map(Principal::csrfToken).orElse(null);
        if (expected == null) expected = ctx.cookie(cookies.csrfName());
        String provided = ctx.header("X-CSRF-Token");
        if (provided == null) provided = ctx.formParam(CSRF_FIELD);
        if (!Tokens.constantTimeEquals(expected, provided)) {
            throw new HtmlError(403, "error.csrf");
        }
    }

    private void refuseAnonymous(Context ctx) {
        if (isApi(ctx)) {
            throw new Problem(401, "Unauthorized", "Send an API token as 'Authorization: Bearer TOKEN' or 'OSDI-API-Token: TOKEN'");
        }
        if (ctx.method() == HandlerType.GET) {
            String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            ctx.redirect("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
            throw new Halt();
        }
        throw new HtmlError(401, "error.unauthorized");
    }

    private static Role requiredRole(Set<RouteRole> roles) {
        if (roles.size() != 1) return null;
        return roles.iterator().next() instanceof Role r ? r : null;
    }

    private static boolean changesState(Context ctx) {
        HandlerType m = ctx.method();
        return m == HandlerType.POST || m == HandlerType.PUT || m == HandlerType.PATCH || m == HandlerType.DELETE;
    }

    private static Optional<String> apiToken(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(auth.substring(7).strip());
        }
        return Optional.ofNullable(ctx.header("OSDI-API-Token")).map(String::strip);
    }
}
