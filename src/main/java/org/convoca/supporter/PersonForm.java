package org.convoca.supporter;

import org.convoca.web.Inputs;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.auth.Emails;
import org.convoca.web.FieldError;
import org.convoca.web.Lang;

/**
 * The organizer's edit form for one person. Unlike a public form, what is submitted is what is
 * stored: clearing a field clears it. Custom fields are one {@code name: value} per line.
 */
public record PersonForm(String givenName, String familyName, String email, String emailStatus, String phone,
                         String postalCode, String language, String school, String customFields) {

    public static PersonForm of(Person p) {
        StringBuilder cf = new StringBuilder();
        p.customFields().forEach((k, v) -> cf.append(k).append(": ").append(v).append('\n'));
        return new PersonForm(p.givenName(), p.familyName(), p.email(), p.emailStatus(), p.phone(), p.postalCode(),
                p.languageCode(), p.school(), cf.toString().strip());
    }

    public static PersonForm from(Context ctx) {
        return new PersonForm(Inputs.form(ctx, "given_name"), Inputs.form(ctx, "family_name"), Inputs.form(ctx, "email"), Inputs.form(ctx, "email_status"),
                Inputs.form(ctx, "phone"), Inputs.form(ctx, "postal_code"), Inputs.form(ctx, "language"), Inputs.form(ctx, "school"), Inputs.form(ctx, "custom_fields"));
    }

    public List<FieldError> validate(String phoneRegion) {
        List<FieldError> errors = new ArrayList<>();
        if (email.isBlank()) errors.add(new FieldError("email", "field.required"));
        else if (!Emails.isValid(email)) errors.add(new FieldError("email", "field.email.invalid"));
        if (givenName.length() > 100) errors.add(new FieldError("given_name", "field.too_long"));
        if (familyName.length() > 100) errors.add(new FieldError("family_name", "field.too_long"));
        if (EmailStatus.parse(emailStatus).isEmpty()) errors.add(new FieldError("email_status", "person.email_status.invalid"));
        if (!phone.isBlank() && Phones.normalize(phone, phoneRegion).isEmpty()) errors.add(new FieldError("phone", "field.phone.invalid"));
        if (postalCode.strip().length() > 12) errors.add(new FieldError("postal_code", "field.postal_code.invalid"));
        if (!language.isBlank() && Lang.parse(language).isEmpty()) errors.add(new FieldError("language", "field.language.invalid"));
        if (school.length() > 200) errors.add(new FieldError("school", "field.too_long"));
        if (customFieldMap() == null) errors.add(new FieldError("custom_fields", "person.custom_fields.invalid"));
        return errors;
    }

    /** The custom fields as a map, or null when a line is not {@code name: value}. */
    public Map<String, Object> customFieldMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String line : customFields.split("\\R")) {
            if (line.isBlank()) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) return null;
            String key = line.substring(0, colon).strip();
            if (key.isEmpty() || key.length() > 60) return null;
            out.put(key, PersonInput.clean(line.substring(colon + 1)));
        }
        return out.size() > 50 ? null : out;
    }

    public String languageOrNull() {
        return Lang.parse(language).map(Lang::code).orElse(null);
    }

}
