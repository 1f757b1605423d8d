package org.convoca.letter;

import org.convoca.web.Inputs;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.convoca.web.FieldError;

/**
 * What an organizer submits for a letter action, from the admin form or the API. Merge fields in
 * the subject and body are checked here, so an unknown field is an error at save, not at send.
 */
public record LetterActionForm(String campaignId, String title, String titleEs, String description,
                               String descriptionEs, String subject, String subjectEs, String body, String bodyEs,
                               boolean editable, String targeting, List<String> targetIds,
                               List<String> fallbackTargetIds, String status) {

    public static LetterActionForm empty() {
        return new LetterActionForm("", "", "", "", "", "", "", "", "", true, "all", List.of(), List.of(), "draft");
    }

    public static LetterActionForm of(LetterAction a) {
        return new LetterActionForm(String.valueOf(a.campaignId()), a.title(), a.titleEs(), a.description(),
                a.descriptionEs(), a.subject(), a.subjectEs(), a.body(), a.bodyEs(), a.editable(), a.targetingValue(),
                a.targetIds().stream().map(String::valueOf).toList(),
                a.fallbackTargetIds().stream().map(String::valueOf).toList(), a.statusValue());
    }

    public static LetterActionForm from(Context ctx) {
        return new LetterActionForm(Inputs.form(ctx, "campaign_id"), Inputs.form(ctx, "title"), Inputs.form(ctx, "title_es"), Inputs.form(ctx, "description"),
                Inputs.form(ctx, "description_es"), Inputs.form(ctx, "subject"), Inputs.form(ctx, "subject_es"), Inputs.form(ctx, "body"), Inputs.form(ctx, "body_es"),
                !Inputs.form(ctx, "editable").isBlank(), Inputs.form(ctx, "targeting").isBlank() ? "all" : Inputs.form(ctx, "targeting"),
                ctx.formParams("target_ids"), ctx.formParams("fallback_target_ids"),
                Inputs.form(ctx, "status").isBlank() ? "draft" : Inputs.form(ctx, "status"));
    }

    /** The API body over a starting point: absent keys keep the base's value (partial update). */
    public static LetterActionForm from(JsonNode json, LetterActionForm base) {
        JsonNode editable = json.get("editable");
        return new LetterActionForm(Inputs.json(json, "campaign_id", base.campaignId()), Inputs.json(json, "title", base.title()),
                Inputs.json(json, "title_es", base.titleEs()), Inputs.json(json, "description", base.description()),
                Inputs.json(json, "description_es", base.descriptionEs()), Inputs.json(json, "subject", base.subject()),
                Inputs.json(json, "subject_es", base.subjectEs()), Inputs.json(json, "body", base.body()), Inputs.json(json, "body_es", base.bodyEs()),
                editable == null || editable.isNull() ? base.editable() : editable.asBoolean(),
                Inputs.json(json, "targeting", base.targeting()), ids(json, "target_ids", base.targetIds()),
                ids(json, "fallback_target_ids", base.fallbackTargetIds()), Inputs.json(json, "status", base.status()));
    }

    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>();
        if (campaign() == null) errors.add(new FieldError("campaign_id", "letter.action.campaign.required"));
        required(errors, "title", title);
        oneLine(errors, "title", title, 200);
        oneLine(errors, "title_es", titleEs, 200);
        Inputs.tooLong(errors, "description", description, 20_000);
        Inputs.tooLong(errors, "description_es", descriptionEs, 20_000);
        required(errors, "subject", subject);
        required(errors, "body", body);
        letterText(errors, "subject", subject, 200, true);
        letterText(errors, "subject_es", subjectEs, 200, true);
        letterText(errors, "body", body, 10_000, false);
        letterText(errors, "body_es", bodyEs, 10_000, false);
        if (subjectEs.isBlank() != bodyEs.isBlank()) {
            errors.add(new FieldError(subjectEs.isBlank() ? "subject_es" : "body_es", "letter.action.spanish_pair"));
        }
        if (Targeting.parse(targeting).isEmpty()) errors.add(new FieldError("targeting", "letter.action.targeting.invalid"));
        if (LetterStatus.parse(status).isEmpty()) errors.add(new FieldError("status", "letter.action.status.invalid"));
        if (ids(targetIds) == null) errors.add(new FieldError("target_ids", "letter.action.targets.invalid"));
        if (ids(fallbackTargetIds) == null) errors.add(new FieldError("fallback_target_ids", "letter.action.targets.invalid"));
        if (targetingValue() == Targeting.ALL && ids(targetIds) != null && ids(targetIds).isEmpty()) {
            errors.add(new FieldError("target_ids", "letter.action.targets.required"));
        }
        return errors;
    }

    public Long campaign() {
        try {
            return Long.parseLong(campaignId.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public Targeting targetingValue() {
        return Targeting.parse(targeting).orElse(Targeting.ALL);
    }

    public LetterStatus statusValue() {
        return LetterStatus.parse(status).orElse(LetterStatus.DRAFT);
    }

    public List<Long> targetIdList() {
        List<Long> ids = ids(targetIds);
        return ids == null ? List.of() : ids;
    }

    public List<Long> fallbackTargetIdList() {
        List<Long> ids = ids(fallbackTargetIds);
        return ids == null ? List.of() : ids;
    }

    public boolean selected(long targetId) {
        return targetIdList().contains(targetId);
    }

    public boolean fallback(long targetId) {
        return fallbackTargetIdList().contains(targetId);
    }

    /** Distinct ids, or null when one is not a number (the caller reports it). */
    private static List<Long> ids(List<String> raw) {
        LinkedHashSet<Long> out = new LinkedHashSet<>();
        for (String s : raw) {
            if (s == null || s.isBlank()) continue;
            try {
                out.add(Long.parseLong(s.strip()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out.size() > 1000 ? null : List.copyOf(out);
    }

    private static void letterText(List<FieldError> errors, String field, String value, int max, boolean oneLine) {
        if (value.length() > max) errors.add(new FieldError(field, "field.too_long"));
        else if (oneLine && Texts.hasControl(value)) errors.add(new FieldError(field, "letter.field.one_line"));
        else MergeTemplate.check(value).ifPresent(key -> errors.add(new FieldError(field, key)));
    }

    private static void oneLine(List<FieldError> errors, String field, String value, int max) {
        if (value.length() > max) errors.add(new FieldError(field, "field.too_long"));
        else if (Texts.hasControl(value)) errors.add(new FieldError(field, "letter.field.one_line"));
    }

    private static void required(List<FieldError> errors, String field, String value) {
        if (value.isBlank()) errors.add(new FieldError(field, "field.required"));
    }

    private static List<String> ids(JsonNode json, String key, List<String> fallback) {
        JsonNode n = json.get(key);
        if (n == null) return fallback;
        List<String> out = new ArrayList<>();
        if (n.isArray()) n.forEach(x -> out.add(x.isNumber() || x.isTextual() ? x.asText() : "x"));
        else if (!n.isNull()) out.add("x");
        return out;
    }
}
