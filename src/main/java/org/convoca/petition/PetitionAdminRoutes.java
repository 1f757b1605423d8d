package org.convoca.petition;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.campaign.Campaign;
import org.convoca.campaign.CampaignRepository;
import org.convoca.web.Access;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Paged;
import org.convoca.web.Views;

/** The organizer's petition pages inside a campaign: list, create, edit, open and close. */
public final class PetitionAdminRoutes {
    private final PetitionRepository petitions;
    private final SignatureRepository signatures;
    private final CampaignRepository campaigns;
    private final ShareLinks share;
    private final Views views;

    public PetitionAdminRoutes(PetitionRepository petitions, SignatureRepository signatures,
                               CampaignRepository campaigns, ShareLinks share, Views views) {
        this.petitions = petitions;
        this.signatures = signatures;
        this.campaigns = campaigns;
        this.share = share;
        this.views = views;
    }

    /** Every petition, newest first, for organizers who start from the petition rather than the campaign. */
    public void all(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        Paged<Petition> page = petitions.list(p[0], p[1]);
        renderList(ctx, null, page.items(), page);
    }

    public void list(Context ctx) {
        Campaign c = campaign(ctx);
        List<Petition> list = petitions.byCampaign(c.id());
        renderList(ctx, c, list, null);
    }

    public void newForm(Context ctx) {
        renderForm(ctx, 200, campaign(ctx), null, PetitionForm.empty(), List.of());
    }

    public void create(Context ctx) {
        Campaign c = campaign(ctx);
        PetitionForm form = PetitionForm.from(ctx);
        List<FieldError> errors = form.validate();
        if (!errors.isEmpty()) {
            renderForm(ctx, 422, c, null, form, errors);
            return;
        }
        try {
            Petition p = petitions.create(c.id(), form, Access.requirePrincipal(ctx).user().id());
            views.redirectWithFlash(ctx, "/admin/petitions/" + p.id(), "petition.saved");
        } catch (PetitionRepository.SlugTaken e) {
            renderForm(ctx, 422, c, null, form, List.of(new FieldError("slug", "petition.slug.taken")));
        }
    }

    public void show(Context ctx) {
        Petition p = load(ctx);
        long count = petitions.count(p.id());
        Map<String, Object> m = new HashMap<>();
        m.put("petition", p);
        m.put("campaign", campaigns.find(p.campaignId()).orElseThrow(HtmlError::notFound));
        m.put("count", count);
        m.put("goal", p.displayGoal(count));
        m.put("browserUrl", share.pageUrl(p));
        m.put("statuses", PetitionStatus.values());
        m.put("chart", DayChart.of(signatures.perDay(p.id(), 30)));
        m.put("embedCode", "<iframe src=\"" + share.pageUrl(p) + "/embed\" title=\"" + p.title().replace("\"", "&quot;")
                + "\" width=\"100%\" height=\"900\" loading=\"lazy\"></iframe>");
        views.render(ctx, "petition/admin_show", m);
    }

    public void editForm(Context ctx) {
        Petition p = load(ctx);
        renderForm(ctx, 200, campaigns.find(p.campaignId()).orElseThrow(HtmlError::notFound), p, PetitionForm.of(p), List.of());
    }

    public void update(Context ctx) {
        Petition p = load(ctx);
        Campaign c = campaigns.find(p.campaignId()).orElseThrow(HtmlError::notFound);
        PetitionForm form = PetitionForm.from(ctx);
        List<FieldError> errors = form.validate();
        if (!errors.isEmpty()) {
            renderForm(ctx, 422, c, p, form, errors);
            return;
        }
        try {
            petitions.update(p.id(), form);
            views.redirectWithFlash(ctx, "/admin/petitions/" + p.id(), "petition.saved");
        } catch (PetitionRepository.SlugTaken e) {
            renderForm(ctx, 422, c, p, form, List.of(new FieldError("slug", "petition.slug.taken")));
        }
    }

    public void changeStatus(Context ctx) {
        Petition p = load(ctx);
        PetitionStatus status = PetitionStatus.parse(ctx.formParam("status"))
                .orElseThrow(() -> new HtmlError(400, "petition.status.invalid"));
        petitions.setStatus(p.id(), status);
        views.redirectWithFlash(ctx, "/admin/petitions/" + p.id(), "petition.status_changed");
    }

    private void renderList(Context ctx, Campaign c, List<Petition> list, Paged<Petition> pager) {
        Map<String, Object> m = new HashMap<>();
        m.put("campaign", c);
        m.put("petitions", list);
        m.put("counts", counts(list));
        m.put("pager", pager);
        views.render(ctx, "petition/admin_list", m);
    }

    private Map<Long, Long> counts(List<Petition> list) {
        Map<Long, Long> m = new HashMap<>();
        for (Petition p : list) m.put(p.id(), petitions.count(p.id()));
        return m;
    }

    private void renderForm(Context ctx, int status, Campaign c, Petition existing, PetitionForm form,
                            List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("campaign", c);
        model.put("petition", existing);
        model.put("form", form);
        model.put("statuses", PetitionStatus.values());
        model.put("errors", views.errorMessages(ctx, errors));
        views.render(ctx, status, "petition/admin_form", model);
    }

    private Campaign campaign(Context ctx) {
        return campaigns.find(id(ctx)).orElseThrow(HtmlError::notFound);
    }

    Petition load(Context ctx) {
        return petitions.find(id(ctx)).orElseThrow(HtmlError::notFound);
    }

    static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw HtmlError.notFound();
        }
    }
}
