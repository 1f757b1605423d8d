package org.convoca.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.Access;
import org.convoca.web.FieldError;
import org.convoca.web.Json;
import org.convoca.web.Paged;
import org.convoca.web.Problem;

/** {@code /api/v1/campaigns}: list, create, read, update (partial, as OSDI's PUT). */
public final class CampaignApi {
    private final CampaignRepository campaigns;
    private final String baseUrl;

    public CampaignApi(CampaignRepository campaigns, String baseUrl) {
        this.campaigns = campaigns;
        this.baseUrl = baseUrl;
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        ctx.json(campaigns.list(p[0], p[1]).osdi("campaigns", this::toJson));
    }

    public void read(Context ctx) {
        ctx.json(toJson(load(ctx)));
    }

    public void create(Context ctx) {
        CampaignForm form = CampaignForm.from(Json.body(ctx), CampaignForm.empty());
        validate(form);
        try {
            Campaign c = campaigns.create(form, Access.principal(ctx).map(p -> p.user().id()).orElse(null));
            ctx.status(201).header("Location", baseUrl + "/api/v1/campaigns/" + c.id()).json(toJson(c));
        } catch (CampaignRepository.SlugTaken e) {
            throw slugTaken();
        }
    }

    public void update(Context ctx) {
        Campaign existing = load(ctx);
        CampaignForm form = CampaignForm.from(Json.body(ctx), CampaignForm.of(existing));
        validate(form);
        try {
            ctx.json(toJson(campaigns.update(existing.id(), form).orElseThrow(() -> Problem.notFound("Campaign"))));
        } catch (CampaignRepository.SlugTaken e) {
            throw slugTaken();
        }
    }

    Map<String, Object> toJson(Campaign c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifiers", List.of("convoca:" + c.id()));
        m.put("id", c.id());
        m.put("created_date", c.createdAt());
        m.put("modified_date", c.updatedAt());
        m.put("title", c.title());
        m.put("title_es", c.titleEs());
        m.put("slug", c.slug());
        m.put("summary", c.summary());
        m.put("summary_es", c.summaryEs());
        m.put("description", c.description());
        m.put("description_es", c.descriptionEs());
        m.put("status", c.statusValue());
        m.put("target", c.targets().stream().map(n -> Map.of("name", n)).toList());
        m.put("start_date", c.startDate());
        m.put("end_date", c.endDate());
        m.put("image_url", c.imageUrl());
        if (c.status().isPublic()) m.put("browser_url", CampaignAdminRoutes.browserUrl(baseUrl, c));
        return m;
    }

    private static void validate(CampaignForm form) {
        List<FieldError> errors = form.validate();
        if (!errors.isEmpty()) {
            throw Problem.validation(errors.stream().map(e -> new Problem.Error(jsonField(e.field()), Problem.describe(e.key()))).toList());
        }
    }

    private static String jsonField(String formField) {
        return formField.equals("targets") ? "target" : formField;
    }

    private static Problem slugTaken() {
        return new Problem(409, "Conflict", "Another campaign already uses this slug",
                List.of(new Problem.Error("slug", "is already used by another campaign")));
    }

    private Campaign load(Context ctx) {
        try {
            return campaigns.find(Long.parseLong(ctx.pathParam("id"))).orElseThrow(() -> Problem.notFound("Campaign"));
        } catch (NumberFormatException e) {
            throw Problem.notFound("Campaign");
        }
    }
}
