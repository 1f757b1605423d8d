package org.convoca.letter;

import org.convoca.web.Inputs;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import org.convoca.auth.Emails;
import org.convoca.web.FieldError;

/**
 * A target as the admin form, the API or a CSV row submits it. Schools and postal codes are one per
 * line (or separated by semicolons). Field names match the form inputs, JSON keys and CSV headers.
 */
public record TargetForm(String givenName, String familyName, String title, String body, String email,
                         String district, String schools, String postalCodes) {

    public static TargetForm empty() {
        return new TargetForm("", "", "", "", "", "", "", "");
    }

    public static TargetForm of(Target t) {
        return new TargetForm(t.givenName(), t.familyName(), t.title(), t.body(), t.email(), t.district(),
                String.join("\n", t.schools()), String.join("\n", t.postalCodes()));
    }

    public static TargetForm from(Context ctx) {
        return new TargetForm(Inputs.form(ctx, "given_name"), Inputs.form(ctx, "family_name"), Inputs.form(ctx, "title"), Inputs.form(ctx, "body"),
                Inputs.form(ctx, "email"), Inputs.form(ctx, "district"), Inputs.form(ctx, "schools"), Inputs.form(ctx, "postal_codes"));
    }

    /** The API body over a starting point: absent keys keep the base's value. */
    public static TargetForm from(JsonNode json, TargetForm base) {
        return new TargetForm(Inputs.json(json, "given_name", base.givenName()), Inputs.json(json, "family_name", base.familyName()),
                Inputs.json(json, "title", base.title()), Inputs.json(json, "body", base.body()), Inputs.json(json, "email", base.email()),
                Inputs.json(json, "district", base.district()), list(json, "schools", base.schools()),
                list(json, "postal_codes", base.postalCodes()));
    }

    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>();
        if (givenName.isBlank() && familyName.isBlank()) errors.add(new FieldError("family_name", "field.required"));
        oneLine(errors, "given_name", givenName, 100);
        oneLine(errors, "family_name", familyName, 100);
        oneLine(errors, "title", title, 200);
        oneLine(errors, "body", body, 200);
        oneLine(errors, "district", district, 200);
        if (email.isBlank()) errors.add(new FieldError("email", "field.required"));
        else if (!Emails.isValid(email)) errors.add(new FieldError("email", "field.email.invalid"));
        if (schoolList().size() > 500 || schoolList().stream().anyMatch(s -> s.length() > 200 || Texts.hasControl(s))) {
            errors.add(new FieldError("schools", "letter.target.schools.invalid"));
        }
        if (postalCodeList().size() > 500 || postalCodeList().stream().anyMatch(s -> s.length() > 12 || Texts.hasControl(s))) {
            errors.add(new FieldError("postal_codes", "letter.target.postal_codes.invalid"));
        }
        return errors;
    }

    public List<String> schoolList() {
        return Texts.items(schools);
    }

    public List<String> postalCodeList() {
        return Texts.items(postalCodes);
    }

    /** Names go into the To header of every letter: CR/LF are refused, not silently changed. */
    private static void oneLine(List<FieldError> errors, String field, String value, int max) {
        if (Texts.hasControl(value)) errors.add(new FieldError(field, "letter.field.one_line"));
        else if (value.length() > max) errors.add(new FieldError(field, "field.too_long"));
    }

    private static String list(JsonNode json, String key, String fallback) {
        JsonNode n = json.get(key);
        if (n == null) return fallback;
        if (!n.isArray()) return n.asText("");
        List<String> items = new ArrayList<>();
        n.forEach(x -> items.add(x.asText("")));
        return String.join("\n", items);
    }
}
