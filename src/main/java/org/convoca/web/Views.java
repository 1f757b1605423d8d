package org.convoca.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.convoca.settings.OrganizationRepository;

/**
 * Renders a page template with what every page needs (language, CSRF token, who is signed in,
 * the organization, a flash message) and redirects with a flash after a successful POST.
 */
public final class Views {
    private static final String FLASH_COOKIE = "convoca_flash";
    private final Templates templates;
    private final OrganizationRepository organization;
    private final Access access;

    public Views(Templates templates, OrganizationRepository organization, Access access) {
        this.templates = templates;
        this.organization = organization;
        this.access = access;
    }

    public Lang lang(Context ctx) {
        return lang(ctx, Optional.empty());
    }

    public Lang lang(Context ctx, Optional<Lang> supporterLanguage) {
        Lang cached = ctx.attribute("convoca.lang");
        if (cached != null) return cached;
        Lang lang = Lang.resolve(ctx, supporterLanguage, organization.get().defaultLanguage());
        ctx.attribute("convoca.lang", lang);
        return lang;
    }

    public String t(Context ctx, String key, Object... args) {
        return templates.messages().get(lang(ctx), key, args);
    }

    public void render(Context ctx, String template, Map<String, ?> model) {
        render(ctx, 200, template, model);
    }

    public void render(Context ctx, int status, String template, Map<String, ?> model) {
        Lang lang = lang(ctx);
        Map<String, Object> m = new HashMap<>(model);
        m.put("lang", lang.code());
        m.put("otherLang", lang.other().code());
        m.put("switchLangUrl", urlWithLang(ctx, lang.other()));
        m.put("langSuffix", ctx.queryParam("lang") != null ? "?lang=" + lang.code() : "");
        m.put("csrf", access.csrfToken(ctx));
        m.put("currentUser", Access.principal(ctx).map(Principal::user).orElse(null));
        m.put("org", organization.get());
        m.put("path", ctx.path());
        m.put("flash", takeFlash(ctx));
        m.putIfAbsent("errors", new ErrorMap());
        ctx.status(status);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(templates.render(template, m, lang));
    }

    /** Post/Redirect/Get: 303 to {@code location}, with a one-time message key shown there. */
    public void redirectWithFlash(Context ctx, String location, String flashKey) {
        ctx.cookie(FLASH_COOKIE, flashKey);
        ctx.redirect(location, HttpStatus.SEE_OTHER);
    }

    /** Field errors keyed by input name, as the message text in the page language. */
    public ErrorMap errorMessages(Context ctx, Iterable<FieldError> errors) {
        ErrorMap out = new ErrorMap();
        for (FieldError e : errors) {
            out.putIfAbsent(e.field(), t(ctx, e.key()));
        }
        return out;
    }

    private String takeFlash(Context ctx) {
        String key = ctx.cookie(FLASH_COOKIE);
        if (key == null || key.isBlank()) return null;
        ctx.removeCookie(FLASH_COOKIE);
        // Only message keys travel in the cookie; anything else is ignored, never echoed.
        String decoded = URLDecoder.decode(key, StandardCharsets.UTF_8);
        return templates.messages().has(lang(ctx), decoded) ? templates.messages().get(lang(ctx), decoded) : null;
    }

    private static String urlWithLang(Context ctx, Lang lang) {
        StringBuilder q = new StringBuilder();
        ctx.queryParamMap().forEach((k, vs) -> {
            if (k.equals("lang")) return;
            for (String v : vs) {
                q.append(q.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v));
            }
        });
        q.append(q.isEmpty() ? "" : "&").append("lang=").append(lang.code());
        return ctx.path() + "?" + q;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
