package org.convoca.letter;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.Access;
import org.convoca.web.FieldError;
import org.convoca.web.Json;
import org.convoca.web.Lang;
import org.convoca.web.Paged;
import org.convoca.web.Problem;

/**
 * {@code /api/v1/advocacy_campaigns}: list, create, read, update (partial, as OSDI's PUT), and the
 * record-outreach helper {@code POST …/{id}/outreaches}, which starts a letter exactly as the public
 * form does: the writer still confirms by email before anything reaches a target.
 */
public final class LetterActionApi {
    private final LetterActionRepository actions;
    private final TargetRepository targets;
    private final OutreachService outreaches;
    private final String baseUrl;
    private final String phoneRegion;

    public LetterActionApi(LetterActionRepository actions, TargetRepository targets, OutreachService outreaches,
                           String baseUrl, String phoneRegion) {
        this.actions = actions;
        this.targets = targets;
        this.outreaches = outreaches;
        this.baseUrl = baseUrl;
        this.phoneRegion = phoneRegion;
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        ctx.json(actions.list(p[0], p[1]).osdi("advocacy_campaigns", this::toJson));
    }

    public void read(Context ctx) {
        ctx.json(toJson(load(ctx)));
    }

    public void create(Context ctx) {
        LetterActionForm form = LetterActionForm.from(Json.body(ctx), LetterActionForm.empty());
        validate(form);
        LetterAction a = actions.create(form, Access.principal(ctx).map(p -> p.user().id()).orElse(null));
        ctx.status(201).header("Location", baseUrl + "/api/v1/advocacy_campaigns/" + a.id()).json(toJson(a));
    }

    public void update(Context ctx) {
        LetterAction existing = load(ctx);
        LetterActionForm form = LetterActionForm.from(Json.body(ctx), LetterActionForm.of(existing));
        validate(form);
        ctx.json(toJson(actions.update(existing.id(), form).orElseThrow(() -> Problem.notFound("Advocacy campaign"))));
    }

    /** {@code {"person": {...}, "school", "story", "subject", "body", "referrer_data"}} → the outreach, pending confirmation. */
    public void recordOutreach(Context ctx) {
        LetterAction a = load(ctx);
        if (!a.open()) throw new Problem(409, "Conflict", "This advocacy campaign is not open");
        var json = Json.body(ctx);
        Lang lang = Lang.parse(json.path("person").path("languages_spoken").path(0).asText("")).orElse(Lang.EN);
        List<Target> active = targets.active();
        List<String> schools = Recipients.schools(a, active);
        LetterSubmission s = LetterSubmission.from(json, a, lang);
        List<FieldError> errors = new ArrayList<>(s.validate(phoneRegion, schools, a));
        List<Target> recipients = Recipients.resolve(a, active, Recipients.canonicalSchool(schools, s.school()),
                s.person().postalCode());
        if (errors.isEmpty() && recipients.isEmpty()) errors.add(new FieldError("school", "letter.no_recipients"));
        TargetApi.validate(errors.stream().map(e -> new FieldError(e.field().equals("email") ? "person.email_addresses"
                : e.field(), e.key())).toList());
        try {
            OutreachService.Outreach o = outreaches.request(a, s, recipients, schools, lang, null, "api");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("identifiers", List.of("convoca:" + o.id()));
            m.put("id", o.id());
            m.put("created_date", o.createdAt());
            m.put("advocacy_campaign_id", a.id());
            m.put("status", o.status());
            m.put("targets", o.targets().stream().map(Target::name).toList());
            m.put("subject", s.subject());
            m.put("body", s.body());
            ctx.status(201).json(m);
        } catch (OutreachService.LimitReached e) {
            throw new Problem(429, "Too Many Requests", "This writer reached today's limit of letters; try again tomorrow");
        }
    }

    Map<String, Object> toJson(LetterAction a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifiers", List.of("convoca:" + a.id()));
        m.put("id", a.id());
        m.put("created_date", a.createdAt());
        m.put("modified_date", a.updatedAt());
        m.put("campaign_id", a.campaignId());
        m.put("title", a.title());
        m.put("title_es", a.titleEs());
        m.put("description", a.description());
        m.put("description_es", a.descriptionEs());
        m.put("subject", a.subject());
        m.put("subject_es", a.subjectEs());
        m.put("body", a.body());
        m.put("body_es", a.bodyEs());
        m.put("status", a.statusValue());
        m.put("editable", a.editable());
        m.put("targeting", a.targetingValue());
        m.put("target_ids", a.targetIds());
        m.put("fallback_target_ids", a.fallbackTargetIds());
        if (a.status() != LetterStatus.DRAFT) m.put("browser_url", LetterPage.browserUrl(baseUrl, a.id()));
        m.put("total_outreaches", a.totalOutreaches());
        return m;
    }

    private void validate(LetterActionForm form) {
        List<FieldError> errors = new ArrayList<>(form.validate());
        if (errors.isEmpty()) errors.addAll(actions.referenceErrors(form));
        TargetApi.validate(errors);
    }

    private LetterAction load(Context ctx) {
        try {
            return actions.find(Long.parseLong(ctx.pathParam("id"))).orElseThrow(() -> Problem.notFound("Advocacy campaign"));
        } catch (NumberFormatException e) {
            throw Problem.notFound("Advocacy campaign");
        }
    }
}
