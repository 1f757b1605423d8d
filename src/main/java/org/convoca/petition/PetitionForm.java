package org.convoca.petition;

import org.convoca.web.Inputs;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.convoca.web.FieldError;

/**
 * What an organizer submits for a petition, from the admin form or the API; and its validation.
 * Targets travel as text, one per line, "Name | Title" (the API sends {@code target: [{name, title}]}).
 */
public record PetitionForm(String title, String titleEs, String slug, String description, String descriptionEs,
                           String petitionText, String petitionTextEs, String targets, String signatureGoal,
                           boolean autoRaiseGoal, String thankYou, String thankYouEs, String shareText,
                           String shareTextEs, String status, boolean askPhone, boolean askPostalCode,
                           boolean askSchool, boolean askComment, boolean doubleOptIn) {

    public static PetitionForm empty() {
        return new PetitionForm("", "", "", "", "", "", "", "", "100", true, "", "", "", "", "draft",
                false, true, false, true, false);
    }

    public static PetitionForm of(Petition p) {
        return new PetitionForm(p.title(), p.titleEs(), p.slug(), p.description(), p.descriptionEs(), p.petitionText(),
                p.petitionTextEs(), targetsText(p.targets()), String.valueOf(p.signatureGoal()), p.autoRaiseGoal(),
                p.thankYou(), p.thankYouEs(), p.shareText(), p.shareTextEs(), p.statusValue(), p.askPhone(),
                p.askPostalCode(), p.askSchool(), p.askComment(), p.doubleOptIn());
    }

    public static PetitionForm from(Context ctx) {
        return new PetitionForm(Inputs.form(ctx, "title"), Inputs.form(ctx, "title_es"), Inputs.form(ctx, "slug"), Inputs.form(ctx, "description"),
                Inputs.form(ctx, "description_es"), Inputs.form(ctx, "petition_text"), Inputs.form(ctx, "petition_text_es"), Inputs.form(ctx, "targets"),
                Inputs.form(ctx, "signature_goal"), box(ctx, "auto_raise_goal"), Inputs.form(ctx, "thank_you"), Inputs.form(ctx, "thank_you_es"),
                Inputs.form(ctx, "share_text"), Inputs.form(ctx, "share_text_es"), Inputs.form(ctx, "status").isEmpty() ? "draft" : Inputs.form(ctx, "status"),
                box(ctx, "ask_phone"), box(ctx, "ask_postal_code"), box(ctx, "ask_school"), box(ctx, "ask_comment"),
                box(ctx, "double_opt_in"));
    }

    /** The API body over a starting point: absent keys keep the base's value (partial update). */
    public static PetitionForm from(JsonNode json, PetitionForm base) {
        String targets = base.targets();
        JsonNode t = json.get("target");
        if (t != null && t.isArray()) {
            List<Target> list = new ArrayList<>();
            t.forEach(n -> list.add(n.isObject() ? new Target(n.path("name").asText(""), n.path("title").asText(""))
                    : new Target(n.asText(""), "")));
            targets = targetsText(list);
        }
        JsonNode goal = json.get("signature_goal");
        return new PetitionForm(j(json, "title", base.title()), j(json, "title_es", base.titleEs()),
                j(json, "slug", base.slug()), j(json, "description", base.description()),
                j(json, "description_es", base.descriptionEs()), j(json, "petition_text", base.petitionText()),
                j(json, "petition_text_es", base.petitionTextEs()), targets,
                goal != null && goal.isValueNode() ? goal.asText() : base.signatureGoal(),
                b(json, "auto_raise_goal", base.autoRaiseGoal()), j(json, "thank_you", base.thankYou()),
                j(json, "thank_you_es", base.thankYouEs()), j(json, "share_text", base.shareText()),
                j(json, "share_text_es", base.shareTextEs()), j(json, "status", base.status()),
                b(json, "ask_phone", base.askPhone()), b(json, "ask_postal_code", base.askPostalCode()),
                b(json, "ask_school", base.askSchool()), b(json, "ask_comment", base.askComment()),
                b(json, "double_opt_in", base.doubleOptIn()));
    }

    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>();
        if (title.isBlank()) errors.add(new FieldError("title", "field.required"));
        Inputs.tooLong(errors, "title", title, 200);
        Inputs.tooLong(errors, "title_es", titleEs, 200);
        if (!effectiveSlug().matches("^[a-z0-9]+(-[a-z0-9]+)*$") || effectiveSlug().length() > 80) {
            errors.add(new FieldError("slug", "petition.slug.invalid"));
        }
        if (petitionText.isBlank()) errors.add(new FieldError("petition_text", "field.required"));
        for (String[] f : new String[][] {{"description", description}, {"description_es", descriptionEs},
                {"petition_text", petitionText}, {"petition_text_es", petitionTextEs}}) {
            Inputs.tooLong(errors, f[0], f[1], 20_000);
        }
        for (String[] f : new String[][] {{"thank_you", thankYou}, {"thank_you_es", thankYouEs},
                {"share_text", shareText}, {"share_text_es", shareTextEs}}) {
            Inputs.tooLong(errors, f[0], f[1], 2_000);
        }
        List<Target> list = targetList();
        if (list.isEmpty()) errors.add(new FieldError("targets", "petition.targets.required"));
        if (list.size() > 30 || list.stream().anyMatch(x -> x.name().length() > 200 || x.title().length() > 200)) {
            errors.add(new FieldError("targets", "petition.targets.invalid"));
        }
        if (goal() < 1) errors.add(new FieldError("signature_goal", "petition.goal.invalid"));
        if (PetitionStatus.parse(status).isEmpty()) errors.add(new FieldError("status", "petition.status.invalid"));
        return errors;
    }

    /** The slug as given, or one made from the title. */
    public String effectiveSlug() {
        String s = slug.strip();
        if (!s.isEmpty()) return s;
        String ascii = Normalizer.normalize(title, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String made = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return made.length() > 60 ? made.substring(0, 60).replaceAll("-+$", "") : made;
    }

    /** The goal, or 0 when it is not a whole number from 1 to 100,000,000. */
    public int goal() {
        try {
            int g = Integer.parseInt(signatureGoal.strip().replace(",", ""));
            return g >= 1 && g <= 100_000_000 ? g : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public PetitionStatus statusValue() {
        return PetitionStatus.parse(status).orElse(PetitionStatus.DRAFT);
    }

    public List<Target> targetList() {
        List<Target> out = new ArrayList<>();
        for (String line : targets.split("\\R")) {
            if (line.isBlank()) continue;
            int bar = line.indexOf('|');
            out.add(bar < 0 ? new Target(line.strip(), "")
                    : new Target(line.substring(0, bar).strip(), line.substring(bar + 1).strip()));
        }
        return out;
    }

    static String targetsText(List<Target> targets) {
        return String.join("\n", targets.stream()
                .map(t -> t.title() == null || t.title().isBlank() ? t.name() : t.name() + " | " + t.title()).toList());
    }

    private static boolean box(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    private static String j(JsonNode json, String key, String fallback) {
        JsonNode v = json.get(key);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : fallback;
    }

    private static boolean b(JsonNode json, String key, boolean fallback) {
        JsonNode v = json.get(key);
        return v != null && v.isBoolean() ? v.asBoolean() : fallback;
    }
}
