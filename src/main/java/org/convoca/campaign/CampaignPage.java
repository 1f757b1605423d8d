package org.convoca.campaign;

import io.javalin.http.Context;
import java.util.Map;
import org.convoca.web.HtmlError;
import org.convoca.web.Lang;
import org.convoca.web.Views;

/** The public campaign page at its browser_url, for live and closed campaigns only. */
public final class CampaignPage {
    private final CampaignRepository campaigns;
    private final Views views;
    private final String baseUrl;
    /** Links to the campaign's open petitions (title, url), supplied by the petitions feature. */
    private java.util.function.BiFunction<Long, Lang, java.util.List<Map<String, Object>>> petitionLinks =
            (id, lang) -> java.util.List.of();

    public CampaignPage(CampaignRepository campaigns, Views views, String baseUrl) {
        this.campaigns = campaigns;
        this.views = views;
        this.baseUrl = baseUrl;
    }

    public void linkPetitions(java.util.function.BiFunction<Long, Lang, java.util.List<Map<String, Object>>> links) {
        this.petitionLinks = links;
    }

    /** The home page: the live campaigns, newest first. */
    public void home(Context ctx) {
        Lang lang = views.lang(ctx);
        views.render(ctx, "home", Map.of("campaigns", campaigns.live(50).stream()
                .map(c -> Map.of("slug", c.slug(), "title", c.title(lang))).toList()));
    }

    public void show(Context ctx) {
        Campaign c = campaigns.findBySlug(ctx.pathParam("slug"))
                .filter(x -> x.status().isPublic())
                .orElseThrow(HtmlError::notFound);
        Lang lang = views.lang(ctx);
        views.render(ctx, "campaign/show", Map.of(
                "campaign", c,
                "title", c.title(lang),
                "summary", c.summary(lang),
                "description", c.description(lang),
                "closed", c.status() == CampaignStatus.CLOSED,
                "browserUrl", CampaignAdminRoutes.browserUrl(baseUrl, c),
                "petitions", petitionLinks.apply(c.id(), lang)));
    }
}
