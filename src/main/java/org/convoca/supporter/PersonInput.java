package org.convoca.supporter;

import org.convoca.web.Inputs;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import org.convoca.auth.Emails;
import org.convoca.web.FieldError;
import org.convoca.web.Lang;

/**
 * A person as a public form or the API submits them, with the contract's input names:
 * given_name, family_name, email, postal_code, phone, language, email_opt_in, ref.
 * Blank means "not given", and never erases what the record already holds.
 */
public record PersonInput(String givenName, String familyName, String email, String postalCode, String phone,
                          String language, boolean emailOptIn, String ref) {
    /** Compiled once: String.replaceAll compiles its pattern on every call. */
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");


    public static PersonInput from(Context ctx) {
        String ref = Inputs.form(ctx, "ref");
        if (ref.isBlank() && ctx.queryParam("ref") != null) ref = ctx.queryParam("ref");
        String opt = Inputs.form(ctx, "email_opt_in");
        return new PersonInput(Inputs.form(ctx, "given_name"), Inputs.form(ctx, "family_name"), Inputs.form(ctx, "email"), Inputs.form(ctx, "postal_code"),
                Inputs.form(ctx, "phone"), Inputs.form(ctx, "language"), !opt.isBlank() && !opt.equals("0") && !opt.equalsIgnoreCase("false"), ref);
    }

    /**
     * An OSDI person object: {@code email_addresses[0].address}, {@code postal_addresses[0].postal_code},
     * {@code phone_numbers[0].number}, {@code languages_spoken[0]}; flat keys are accepted too.
     */
    public static PersonInput fromOsdi(JsonNode person, String referrer) {
        if (person == null || !person.isObject()) person = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        String email = first(person, "email_addresses", "address", text(person, "email"));
        String postal = first(person, "postal_addresses", "postal_code", text(person, "postal_code"));
        String phone = first(person, "phone_numbers", "number", text(person, "phone"));
        String lang = person.path("languages_spoken").isArray() && person.path("languages_spoken").size() > 0
                ? person.path("languages_spoken").get(0).asText("") : text(person, "language");
        JsonNode status = person.path("email_addresses").path(0).path("status");
        boolean optIn = person.path("email_opt_in").asBoolean(false) || "subscribed".equals(status.asText(""));
        return new PersonInput(text(person, "given_name"), text(person, "family_name"), email, postal, phone, lang,
                optIn, referrer == null ? "" : referrer);
    }

    public List<FieldError> validate(String phoneRegion) {
        List<FieldError> errors = new ArrayList<>();
        if (email.isBlank()) errors.add(new FieldError("email", "field.required"));
        else if (!Emails.isValid(email)) errors.add(new FieldError("email", "field.email.invalid"));
        if (givenName.length() > 100) errors.add(new FieldError("given_name", "field.too_long"));
        if (familyName.length() > 100) errors.add(new FieldError("family_name", "field.too_long"));
        if (postalCode.strip().length() > 12) errors.add(new FieldError("postal_code", "field.postal_code.invalid"));
        if (!phone.isBlank() && Phones.normalize(phone, phoneRegion).isEmpty()) errors.add(new FieldError("phone", "field.phone.invalid"));
        if (!language.isBlank() && Lang.parse(language).isEmpty()) errors.add(new FieldError("language", "field.language.invalid"));
        if (ref.length() > 40) errors.add(new FieldError("ref", "field.too_long"));
        return errors;
    }

    /** Control characters (CR, LF, NUL…) never reach the database: names end up in email headers. */
    static String clean(String s) {
        return s == null ? "" : CONTROL.matcher(s).replaceAll(" ").strip();
    }

    public String cleanGivenName() {
        return clean(givenName);
    }

    public String cleanFamilyName() {
        return clean(familyName);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.path(key);
        return v.isValueNode() ? v.asText("") : "";
    }

    private static String first(JsonNode n, String array, String key, String fallback) {
        JsonNode a = n.path(array);
        if (a.isArray() && a.size() > 0 && a.get(0).path(key).isValueNode()) return a.get(0).path(key).asText("");
        return fallback;
    }
}
