package org.convoca.letter;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.campaign.CampaignRepository;
import org.convoca.web.Access;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Paged;
import org.convoca.web.Views;

/** The organizer's letter actions: list, create, edit, open/close, and the counts page. */
public final class LetterAdminRoutes {
    private final LetterActionRepository actions;
    private final TargetRepository targets;
    private final CampaignRepository campaigns;
    private final LetterStats stats;
    private final Views views;
    private final String baseUrl;

    public LetterAdminRoutes(LetterActionRepository actions, TargetRepository targets, CampaignRepository campaigns,
                             LetterStats stats, Views views, String baseUrl) {
        this.actions = actions;
        this.targets = targets;
        this.campaigns = campaigns;
        this.stats = stats;
        this.views = views;
        this.baseUrl = baseUrl;
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        views.render(ctx, "letter/admin_list", Map.of("actions", actions.list(p[0], p[1])));
    }

    public void newForm(Context ctx) {
        LetterActionForm f = LetterActionForm.empty();
        String campaign = ctx.queryParam("campaign_id");
        if (campaign != null) {
            f = new LetterActionForm(campaign, "", "", "", "", "", "", "", "", true, "all", List.of(), List.of(), "draft");
        }
        renderForm(ctx, 200, null, f, List.of());
    }

    public void create(Context ctx) {
        LetterActionForm form = LetterActionForm.from(ctx);
        List<FieldError> errors = errors(form);
        if (!errors.isEmpty()) {
            renderForm(ctx, 422, null, form, errors);
            return;
        }
        LetterAction a = actions.create(form, Access.requirePrincipal(ctx).user().id());
        views.redirectWithFlash(ctx, "/admin/letters/" + a.id(), "letter.action.saved");
    }

    /** The counts: letters per target and per day, and each target's printable summary. */
    public void show(Context ctx) {
        LetterAction a = load(ctx);
        Map<Long, Integer> perTarget = stats.lettersByTarget(a.id());
        List<Map<String, Object>> rows = targets.byIds(perTarget.keySet()).stream()
                .map(t -> Map.<String, Object>of("target", t, "letters", perTarget.get(t.id()))).toList();
        List<LetterStats.DayCount> days = stats.byDay(a.id());
        int max = days.stream().mapToInt(LetterStats.DayCount::letters).max().orElse(1);
        Map<String, Object> m = new HashMap<>();
        m.put("action", a);
        m.put("campaign", campaigns.find(a.campaignId()).orElse(null));
        m.put("browserUrl", LetterPage.browserUrl(baseUrl, a.id()));
        m.put("perTarget", rows);
        m.put("days", days);
        m.put("maxDay", max);
        m.put("letters", perTarget.values().stream().mapToInt(Integer::intValue).sum());
        m.put("statuses", LetterStatus.values());
        views.render(ctx, "letter/admin_show", m);
    }

    public void editForm(Context ctx) {
        LetterAction a = load(ctx);
        renderForm(ctx, 200, a, LetterActionForm.of(a), List.of());
    }

    public void update(Context ctx) {
        LetterAction a = load(ctx);
        LetterActionForm form = LetterActionForm.from(ctx);
        List<FieldError> errors = errors(form);
        if (!errors.isEmpty()) {
            renderForm(ctx, 422, a, form, errors);
            return;
        }
        actions.update(a.id(), form);
        views.redirectWithFlash(ctx, "/admin/letters/" + a.id(), "letter.action.saved");
    }

    public void changeStatus(Context ctx) {
        LetterAction a = load(ctx);
        LetterStatus s = LetterStatus.parse(ctx.formParam("status"))
                .orElseThrow(() -> new HtmlError(400, "letter.action.status.invalid"));
        actions.setStatus(a.id(), s);
        views.redirectWithFlash(ctx, "/admin/letters/" + a.id(), "letter.action.status_changed");
    }

    private List<FieldError> errors(LetterActionForm form) {
        List<FieldError> errors = new java.util.ArrayList<>(form.validate());
        if (errors.isEmpty()) errors.addAll(actions.referenceErrors(form));
        return errors;
    }

    private void renderForm(Context ctx, int status, LetterAction existing, LetterActionForm form, List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("action", existing);
        model.put("form", form);
        model.put("campaigns", campaigns.list(1, 100).items());
        model.put("targets", targets.active());
        model.put("statuses", LetterStatus.values());
        model.put("targetings", Targeting.values());
        model.put("fields", MergeTemplate.FIELDS.stream().sorted().toList());
        model.put("errors", views.errorMessages(ctx, errors));
        views.render(ctx, status, "letter/admin_form", model);
    }

    LetterAction load(Context ctx) {
        return actions.find(Ids.path(ctx, "id")).orElseThrow(HtmlError::notFound);
    }
}
