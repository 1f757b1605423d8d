package org.convoca.petition;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.db.AppSecrets;
import org.convoca.web.ErrorMap;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Lang;
import org.convoca.web.Views;

/**
 * The public petition: the page at its browser_url with the sign form, signing (Post/Redirect/Get),
 * the thank-you page, the double opt-in confirmation, and the JSON count for partner sites.
 */
public final class PetitionPage {
    private final PetitionRepository petitions;
    private final SignatureRepository signatures;
    private final Signing signing;
    private final BotGuard guard;
    private final ShareLinks share;
    private final AppSecrets secrets;
    private final Views views;
    private final String phoneRegion;
    private final PetitionCache cache;

    public PetitionPage(PetitionRepository petitions, SignatureRepository signatures, Signing signing, BotGuard guard,
                        ShareLinks share, AppSecrets secrets, Views views, String phoneRegion) {
        this.petitions = petitions;
        this.signatures = signatures;
        this.signing = signing;
        this.guard = guard;
        this.share = share;
        this.secrets = secrets;
        this.views = views;
        this.phoneRegion = phoneRegion;
        this.cache = new PetitionCache(petitions);
    }

    public void show(Context ctx) {
        Petition p = load(ctx);
        render(ctx, 200, "petition/show", p, SignForm.blank(ctx, views.lang(ctx)), new ErrorMap(), null);
    }

    /** The form alone, for partner sites' iframes: the only page that may be framed. */
    public void embed(Context ctx) {
        Petition p = load(ctx);
        // Overrides the site-wide frame-ancestors 'none' for this response only.
        ctx.header("Content-Security-Policy", EmbedHeaders.CSP);
        ctx.res().setHeader("X-Frame-Options", null);
        render(ctx, 200, "petition/embed", p, SignForm.blank(ctx, views.lang(ctx)), new ErrorMap(), null);
    }

    public void sign(Context ctx) {
        Petition p = cache.load(ctx.pathParam("slug"));
        if (!p.isOpen()) {
            ctx.redirect(share.pageUrl(p), HttpStatus.SEE_OTHER);
            return;
        }
        SignatureInput in = SignatureInput.from(ctx);
        SignForm form = SignForm.of(ctx, in);
        switch (guard.check(ctx, p.id())) {
            case BOT -> {
                plain(ctx, 400, "petition.bot");
                return;
            }
            case STALE -> {
                render(ctx, 422, "petition/show", p, form, new ErrorMap(), "petition.resubmit");
                return;
            }
            case OK -> { }
        }
        // Every post counts against its address's limit, valid or not: an invalid one here, a
        // valid one in the signature writer's batch (one hand-off per signer instead of two).
        String ipHash = secrets.hmac(ctx.ip());
        List<FieldError> errors = in.validate(p, phoneRegion);
        if (!errors.isEmpty()) {
            if (!guard.withinLimit(ipHash)) {
                rateLimited(ctx);
                return;
            }
            render(ctx, 422, "petition/show", p, form, views.errorMessages(ctx, errors), null);
            return;
        }
        Lang lang = views.lang(ctx);
        String source = "1".equals(ctx.formParam("embed")) ? "embed" : "form";
        // No request thread waits for the writer's batch (Signing.signLater): the answer is made on
        // the thread that completes the batch's futures, and Jetty sends it when the async request
        // completes. A client that never reads its answers holds up its own connection only
        // (PetitionSlowReaderTest).
        ctx.future(() -> signing.signLater(p, in, source, ipHash, lang, true).thenAccept(r -> signed(ctx, p, lang, r)));
    }

    /** The answer to a form post the writer has written (or refused): Post/Redirect/Get. */
    private void signed(Context ctx, Petition p, Lang lang, Signing.Result r) {
        if (r.outcome() == Signing.Outcome.RATE_LIMITED) {
            rateLimited(ctx);
            return;
        }
        String result = switch (r.outcome()) {
            case SIGNED -> "signed";
            case PENDING -> "pending";
            case ALREADY_SIGNED -> "already";
            case CLOSED, RATE_LIMITED -> null;
        };
        if (result == null) ctx.redirect(share.pageUrl(p), HttpStatus.SEE_OTHER);
        else ctx.redirect("/p/" + p.slug() + "/thanks?result=" + result
                + (r.referralCode() == null ? "" : "&ref=" + r.referralCode()) + "&lang=" + lang.code(), HttpStatus.SEE_OTHER);
    }

    public void thanks(Context ctx) {
        Petition p = load(ctx);
        Lang lang = views.lang(ctx);
        String result = switch (String.valueOf(ctx.queryParam("result"))) {
            case "pending" -> "pending";
            case "already" -> "already";
            default -> "signed";
        };
        String ref = ctx.queryParam("ref");
        Map<String, Object> m = base(ctx, p, lang);
        m.put("result", result);
        m.put("thankYou", p.thankYou(lang));
        m.put("share", share.links(p, lang, ref != null && ref.matches("[a-z0-9]{4,40}") ? ref : null));
        views.render(ctx, "petition/thanks", m);
    }

    public void confirmForm(Context ctx) {
        Petition p = load(ctx);
        Map<String, Object> m = base(ctx, p, views.lang(ctx));
        m.put("token", String.valueOf(ctx.queryParam("token")));
        views.render(ctx, "petition/confirm", m);
    }

    public void confirm(Context ctx) {
        Petition p = load(ctx);
        var r = signing.confirm(p, ctx.formParam("token"));
        if (r.isEmpty()) throw new HtmlError(410, "petition.confirm.invalid");
        ctx.redirect("/p/" + p.slug() + "/thanks?result=signed&ref=" + r.get().referralCode() + "&lang="
                + views.lang(ctx).code(), HttpStatus.SEE_OTHER);
    }

    /** {@code {"total_signatures", "signature_goal", "status"}}, readable by any site. */
    public void count(Context ctx) {
        Petition p = load(ctx);
        long count = petitions.count(p.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_signatures", count);
        m.put("signature_goal", p.displayGoal(count));
        m.put("status", p.statusValue());
        m.put("browser_url", share.pageUrl(p));
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Cache-Control", "no-store");
        ctx.json(m);
    }

    private void render(Context ctx, int status, String template, Petition p, SignForm form, ErrorMap errors,
                        String notice) {
        Lang lang = views.lang(ctx);
        Map<String, Object> m = base(ctx, p, lang);
        long count = petitions.count(p.id());
        long goal = p.displayGoal(count);
        m.put("count", count);
        m.put("goal", goal);
        m.put("percent", Math.min(100, count * 100 / Math.max(1, goal)));
        m.put("recent", template.equals("petition/show") ? signatures.recentPublicNames(p.id(), 10) : List.of());
        m.put("description", p.description(lang));
        m.put("petitionText", p.petitionText(lang));
        m.put("targets", p.targetLabels());
        m.put("form", form);
        m.put("embed", template.equals("petition/embed"));
        m.put("errors", errors);
        m.put("notice", notice == null ? null : views.t(ctx, notice));
        m.put("stamp", guard.stamp(p.id()));
        m.put("honeypot", BotGuard.HONEYPOT);
        m.put("stampName", BotGuard.STAMP);
        m.put("shareDescription", p.shareText(lang));
        views.render(ctx, status, template, m);
    }

    private Map<String, Object> base(Context ctx, Petition p, Lang lang) {
        Map<String, Object> m = new HashMap<>();
        m.put("petition", p);
        m.put("title", p.title(lang));
        m.put("browserUrl", share.pageUrl(p));
        m.put("closed", p.status() == PetitionStatus.CLOSED);
        return m;
    }

    private void rateLimited(Context ctx) {
        ctx.header("Retry-After", "60");
        plain(ctx, 429, "petition.rate_limited");
    }

    /** A short plain page for rejected automated submissions: no form, no signature. */
    private void plain(Context ctx, int status, String key) {
        ctx.status(status).contentType("text/html; charset=utf-8").result("<!doctype html><html lang=\""
                + views.lang(ctx).code() + "\"><meta charset=\"utf-8\"><title>" + status + "</title><p>"
                + views.t(ctx, key).replace("<", "&lt;") + "</p></html>");
    }

    private Petition load(Context ctx) {
        return petitions.findPublicBySlug(ctx.pathParam("slug")).filter(p -> p.status().isPublic())
                .orElseThrow(HtmlError::notFound);
    }
}
