package org.convoca.campaign;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.Access;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Paged;
import org.convoca.web.Views;

/** The organizer's campaign pages: list, create, edit, and status changes (publish, close, archive). */
public final class CampaignAdminRoutes {
    private final CampaignRepository campaigns;
    private final Views views;
    private final String baseUrl;

    public CampaignAdminRoutes(CampaignRepository campaigns, Views views, String baseUrl) {
        this.campaigns = campaigns;
        this.views = views;
        this.baseUrl = baseUrl;
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        views.render(ctx, "campaign/admin_list", Map.of("campaigns", campaigns.list(p[0], p[1])));
    }

    public void newForm(Context ctx) {
        renderForm(ctx, 200, null, CampaignForm.empty(), List.of());
    }

    public void create(Context ctx) {
        CampaignForm form = CampaignForm.from(ctx);
        List<FieldError> errors = form.validate();
        if (!errors.isEmpty()) {
            renderForm(ctx, 422, null, form, errors);
            return;
        }
        try {
            Campaign c = campaigns.create(form, Access.requirePrincipal(ctx).user().id());
            views.redirectWithFlash(ctx, "/admin/campaigns/" + c.id(), "campaign.saved");
        } catch (CampaignRepository.SlugTaken e) {
            renderForm(ctx, 422, null, form, List.of(new FieldError("slug", "campaign.slug.taken")));
        }
    }

    public void show(Context ctx) {
        Campaign c = load(ctx);
        views.render(ctx, "campaign/admin_show", Map.of("campaign", c, "browserUrl", browserUrl(baseUrl, c),
                "statuses", CampaignStatus.values()));
    }

    public void editForm(Context ctx) {
        Campaign c = load(ctx);
        renderForm(ctx, 200, c, CampaignForm.of(c), List.of());
    }

    public void update(Context ctx) {
        Campaign c = load(ctx);
        CampaignForm form = CampaignForm.from(ctx);
        List<FieldError> errors = form.validate();
        if (!errors.isEmpty()) {
            renderForm(ctx, 422, c, form, errors);
            return;
        }
        try {
            campaigns.update(c.id(), form);
            views.redirectWithFlash(ctx, "/admin/campaigns/" + c.id(), "campaign.saved");
        } catch (CampaignRepository.SlugTaken e) {
            renderForm(ctx, 422, c, form, List.of(new FieldError("slug", "campaign.slug.taken")));
        }
    }

    /** Publish, close, archive or return to draft: the buttons on the campaign page. */
    public void changeStatus(Context ctx) {
        Campaign c = load(ctx);
        CampaignStatus status = CampaignStatus.parse(ctx.formParam("status"))
                .orElseThrow(() -> new HtmlError(400, "campaign.status.invalid"));
        campaigns.setStatus(c.id(), status);
        views.redirectWithFlash(ctx, "/admin/campaigns/" + c.id(), "campaign.status_changed");
    }

    public static String browserUrl(String baseUrl, Campaign c) {
        return baseUrl + "/c/" + c.slug();
    }

    private void renderForm(Context ctx, int status, Campaign existing, CampaignForm form, List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("campaign", existing);
        model.put("form", form);
        model.put("statuses", CampaignStatus.values());
        model.put("errors", views.errorMessages(ctx, errors));
        views.render(ctx, status, "campaign/admin_form", model);
    }

    private Campaign load(Context ctx) {
        return campaigns.find(id(ctx)).orElseThrow(HtmlError::notFound);
    }

    static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw HtmlError.notFound();
        }
    }
}
