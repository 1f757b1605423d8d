package org.convoca.letter;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.db.AppSecrets;
import org.convoca.supporter.PersonInput;
import org.convoca.web.ErrorMap;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Lang;
import org.convoca.web.Views;

/**
 * The public letter page at an action's browser_url. Without JavaScript: the form posts to a
 * preview that shows the recipients and the letter as they will read it; "send" stores it and
 * emails the writer a confirmation link; the link's page sends it.
 */
public final class LetterPage {
    private final LetterActionRepository actions;
    private final TargetRepository targets;
    private final OutreachService outreaches;
    private final AppSecrets secrets;
    private final Views views;
    private final String baseUrl;
    private final String phoneRegion;

    public LetterPage(LetterActionRepository actions, TargetRepository targets, OutreachService outreaches,
                      AppSecrets secrets, Views views, String baseUrl, String phoneRegion) {
        this.actions = actions;
        this.targets = targets;
        this.outreaches = outreaches;
        this.secrets = secrets;
        this.views = views;
        this.baseUrl = baseUrl;
        this.phoneRegion = phoneRegion;
    }

    public static String browserUrl(String baseUrl, long actionId) {
        return baseUrl + "/letters/" + actionId;
    }

    public void show(Context ctx) {
        LetterAction a = load(ctx);
        Lang lang = views.lang(ctx);
        Map<String, String> form = new HashMap<>();
        for (String f : List.of("given_name", "family_name", "email", "postal_code", "phone", "school", "story", "email_opt_in")) {
            form.put(f, "");
        }
        form.put("language", lang.code());
        form.put("subject", a.subject(lang));
        form.put("body", a.body(lang));
        String ref = ctx.queryParam("ref");
        form.put("ref", ref == null || ref.length() > 40 ? "" : ref);
        render(ctx, 200, a, "form", form, List.of(), null, List.of(), null);
    }

    /** Preview (the default), back to editing, or send: the buttons of the form and the preview. */
    public void submit(Context ctx) {
        LetterAction a = load(ctx);
        if (!a.open()) throw new HtmlError(409, "letter.closed");
        Lang lang = views.lang(ctx);
        List<Target> active = targets.active();
        List<String> schools = Recipients.schools(a, active);
        LetterSubmission s = LetterSubmission.from(ctx, a, lang);
        Map<String, String> form = values(s);
        String step = ctx.formParam("step") == null ? "preview" : ctx.formParam("step");
        if (step.equals("edit")) {
            render(ctx, 200, a, "form", form, List.of(), null, List.of(), null);
            return;
        }
        List<FieldError> errors = s.validate(phoneRegion, schools, a);
        String school = Recipients.canonicalSchool(schools, s.school());
        List<Target> recipients = Recipients.resolve(a, active, school, s.person().postalCode());
        if (errors.isEmpty() && recipients.isEmpty()) errors = List.of(new FieldError("school", "letter.no_recipients"));
        if (!errors.isEmpty()) {
            render(ctx, 422, a, "form", form, errors, null, List.of(), null);
            return;
        }
        LetterMail.Letter letter = LetterMail.letter(s.subject(), s.body(), s.mergeValues(schools));
        if (!step.equals("send")) {
            render(ctx, 200, a, "preview", form, List.of(), letter, recipients, null);
            return;
        }
        try {
            outreaches.request(a, s, recipients, schools, lang, secrets.hmac(ctx.ip()), "form");
            ctx.redirect("/letters/" + a.id() + "/check-email" + (ctx.queryParam("lang") == null ? "" : "?lang=" + lang.code()),
                    HttpStatus.SEE_OTHER);
        } catch (OutreachService.LimitReached e) {
            render(ctx, 429, a, "preview", form, List.of(), letter, recipients,
                    views.t(ctx, "letter.limit." + e.scope().name().toLowerCase(java.util.Locale.ROOT)));
        }
    }

    public void checkEmail(Context ctx) {
        LetterAction a = load(ctx);
        views.render(ctx, "letter/check_email", Map.of("action", a, "title", a.title(views.lang(ctx)),
                "hours", OutreachService.LINK_VALIDITY.toHours()));
    }

    /** The emailed link: shows the letter once more with one button, so link scanners cannot send it. */
    public void confirmPage(Context ctx) {
        String token = ctx.pathParam("token");
        OutreachService.Pending p = outreaches.pending(token).orElseThrow(() -> new HtmlError(404, "letter.confirm.unknown"));
        LetterAction a = actions.find(p.actionId()).orElseThrow(HtmlError::notFound);
        views.render(ctx, "letter/confirm", Map.of("action", a, "title", a.title(views.lang(ctx)), "pending", p,
                "token", token, "browserUrl", browserUrl(baseUrl, a.id())));
    }

    public void confirm(Context ctx) {
        OutreachService.Confirmation c = outreaches.confirm(ctx.pathParam("token"), secrets.hmac(ctx.ip()));
        if (c.state() == OutreachService.State.UNKNOWN) throw new HtmlError(404, "letter.confirm.unknown");
        LetterAction a = actions.find(c.actionId()).orElseThrow(HtmlError::notFound);
        views.render(ctx, c.state() == OutreachService.State.SENT ? 200 : 409, "letter/confirmed", Map.of("action", a,
                "title", a.title(views.lang(ctx)), "result", c, "state", c.state().name().toLowerCase(java.util.Locale.ROOT),
                "browserUrl", browserUrl(baseUrl, a.id())));
    }

    private void render(Context ctx, int status, LetterAction a, String step, Map<String, String> form,
                        List<FieldError> errors, LetterMail.Letter letter, List<Target> recipients, String problem) {
        Lang lang = views.lang(ctx);
        Map<String, Object> m = new HashMap<>();
        m.put("action", a);
        m.put("title", a.title(lang));
        m.put("description", a.description(lang));
        m.put("closed", !a.open());
        m.put("step", step);
        m.put("form", form);
        m.put("schools", Recipients.schools(a, targets.active()));
        m.put("errors", errors.isEmpty() ? new ErrorMap() : views.errorMessages(ctx, errors));
        m.put("letter", letter);
        m.put("recipients", recipients);
        m.put("problem", problem);
        m.put("fields", MergeTemplate.FIELDS.stream().sorted().toList());
        m.put("browserUrl", browserUrl(baseUrl, a.id()));
        views.render(ctx, status, "letter/show", m);
    }

    private static Map<String, String> values(LetterSubmission s) {
        PersonInput p = s.person();
        Map<String, String> m = new HashMap<>();
        m.put("given_name", p.givenName());
        m.put("family_name", p.familyName());
        m.put("email", p.email());
        m.put("postal_code", p.postalCode());
        m.put("phone", p.phone());
        m.put("email_opt_in", p.emailOptIn() ? "1" : "");
        m.put("ref", p.ref());
        m.put("language", p.language());
        m.put("school", s.school());
        m.put("story", s.story());
        m.put("subject", s.subject());
        m.put("body", s.body());
        return m;
    }

    /** Open and closed actions have a page; drafts do not. */
    private LetterAction load(Context ctx) {
        return actions.find(Ids.path(ctx, "id")).filter(a -> a.status() != LetterStatus.DRAFT)
                .orElseThrow(HtmlError::notFound);
    }
}
