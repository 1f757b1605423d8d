package org.convoca.campaign;

import org.convoca.web.Inputs;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.convoca.web.FieldError;

/**
 * What an organizer submits for a campaign, from the admin form or the API, as strings; and its
 * validation. Field names match the form inputs and the JSON keys.
 */
public record CampaignForm(String title, String titleEs, String slug, String summary, String summaryEs,
                           String description, String descriptionEs, String targets, String status,
                           String startDate, String endDate, String imageUrl) {

    public static CampaignForm empty() {
        return new CampaignForm("", "", "", "", "", "", "", "", "draft", "", "", "");
    }

    public static CampaignForm of(Campaign c) {
        return new CampaignForm(c.title(), c.titleEs(), c.slug(), c.summary(), c.summaryEs(), c.description(),
                c.descriptionEs(), c.targetsText(), c.statusValue(), str(c.startDate()), str(c.endDate()),
                c.imageUrl() == null ? "" : c.imageUrl());
    }

    public static CampaignForm from(Context ctx) {
        return new CampaignForm(Inputs.form(ctx, "title"), Inputs.form(ctx, "title_es"), Inputs.form(ctx, "slug"), Inputs.form(ctx, "summary"),
                Inputs.form(ctx, "summary_es"), Inputs.form(ctx, "description"), Inputs.form(ctx, "description_es"), Inputs.form(ctx, "targets"),
                Inputs.form(ctx, "status").isEmpty() ? "draft" : Inputs.form(ctx, "status"), Inputs.form(ctx, "start_date"), Inputs.form(ctx, "end_date"),
                Inputs.form(ctx, "image_url"));
    }

    /** The API body over a starting point: absent keys keep the base's value (partial update). */
    public static CampaignForm from(JsonNode json, CampaignForm base) {
        String targets = base.targets();
        JsonNode t = json.get("target");
        if (t != null && t.isArray()) {
            List<String> names = new ArrayList<>();
            t.forEach(n -> names.add(n.isObject() ? n.path("name").asText("") : n.asText("")));
            targets = String.join("\n", names);
        }
        return new CampaignForm(Inputs.json(json, "title", base.title()), Inputs.json(json, "title_es", base.titleEs()),
                Inputs.json(json, "slug", base.slug()), Inputs.json(json, "summary", base.summary()), Inputs.json(json, "summary_es", base.summaryEs()),
                Inputs.json(json, "description", base.description()), Inputs.json(json, "description_es", base.descriptionEs()),
                targets, Inputs.json(json, "status", base.status()), Inputs.json(json, "start_date", base.startDate()),
                Inputs.json(json, "end_date", base.endDate()), Inputs.json(json, "image_url", base.imageUrl()));
    }

    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>();
        if (title.isBlank()) errors.add(new FieldError("title", "field.required"));
        Inputs.tooLong(errors, "title", title, 200);
        Inputs.tooLong(errors, "title_es", titleEs, 200);
        Inputs.tooLong(errors, "summary", summary, 1000);
        Inputs.tooLong(errors, "summary_es", summaryEs, 1000);
        Inputs.tooLong(errors, "description", description, 50_000);
        Inputs.tooLong(errors, "description_es", descriptionEs, 50_000);
        String s = effectiveSlug();
        if (slug.isBlank() && title.isBlank()) {
            // Nothing to derive a slug from; the title error already says what to do.
        } else if (s.isEmpty() || s.length() > 80 || !s.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            errors.add(new FieldError("slug", "campaign.slug.invalid"));
        }
        List<String> names = targetList();
        if (names.size() > 30 || names.stream().anyMatch(n -> n.length() > 200)) {
            errors.add(new FieldError("targets", "campaign.targets.invalid"));
        }
        if (CampaignStatus.parse(status).isEmpty()) errors.add(new FieldError("status", "campaign.status.invalid"));
        LocalDate start = date(errors, "start_date", startDate);
        LocalDate end = date(errors, "end_date", endDate);
        if (start != null && end != null && end.isBefore(start)) errors.add(new FieldError("end_date", "campaign.end_before_start"));
        if (!imageUrl.isBlank() && !Inputs.isHttpsUrl(imageUrl)) errors.add(new FieldError("image_url", "field.url.https"));
        return errors;
    }

    public String effectiveSlug() {
        return slug.isBlank() ? slugify(title) : slug.strip().toLowerCase(Locale.ROOT);
    }

    public List<String> targetList() {
        return Arrays.stream(targets.split("\\R")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    public CampaignStatus statusValue() {
        return CampaignStatus.parse(status).orElse(CampaignStatus.DRAFT);
    }

    public LocalDate start() {
        return startDate.isBlank() ? null : LocalDate.parse(startDate.strip());
    }

    public LocalDate end() {
        return endDate.isBlank() ? null : LocalDate.parse(endDate.strip());
    }

    static String slugify(String text) {
        String ascii = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 60) slug = slug.substring(0, 60).replaceAll("-+$", "");
        return slug;
    }

    private static LocalDate date(List<FieldError> errors, String field, String value) {
        if (value.isBlank()) return null;
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "field.date.invalid"));
            return null;
        }
    }

    private static String str(LocalDate d) {
        return d == null ? "" : d.toString();
    }
}
