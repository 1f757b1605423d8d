package org.convoca.letter;

import org.convoca.web.Inputs;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convoca.supporter.PersonInput;
import org.convoca.web.FieldError;
import org.convoca.web.Lang;

/**
 * What a writer submits: the contract's person inputs, their school (from the action's list) and
 * story, and, when the action allows it, their own subject and body (which may use the merge fields).
 */
public record LetterSubmission(PersonInput person, String school, String story, String subject, String body) {
    public static final int MAX_STORY = 5_000;

    /** From the public form; a non-editable action always uses its own text. */
    public static LetterSubmission from(Context ctx, LetterAction action, Lang lang) {
        return of(PersonInput.from(ctx), Inputs.form(ctx, "school"), Inputs.form(ctx, "story"), Inputs.form(ctx, "subject"), Inputs.form(ctx, "body"), action, lang);
    }

    /** From the API's record-outreach helper: {@code {"person": {...}, "school", "story", "subject", "body"}}. */
    public static LetterSubmission from(JsonNode json, LetterAction action, Lang lang) {
        String ref = json.path("referrer_data").path("referrer").asText("");
        return of(PersonInput.fromOsdi(json.get("person"), ref), j(json, "school"), j(json, "story"),
                j(json, "subject"), j(json, "body"), action, lang);
    }

    private static LetterSubmission of(PersonInput person, String school, String story, String subject, String body,
                                       LetterAction action, Lang lang) {
        boolean own = action.editable();
        return new LetterSubmission(person, school.strip(), Texts.multiline(story).strip(),
                own && !subject.isBlank() ? subject.strip() : action.subject(lang),
                own && !body.isBlank() ? Texts.multiline(body).strip() : action.body(lang));
    }

    /** Field errors; {@code schools} is the list the writer may pick from. */
    public List<FieldError> validate(String phoneRegion, List<String> schools, LetterAction action) {
        List<FieldError> errors = new ArrayList<>();
        // The writer's name becomes the display name of the sender: refuse line breaks outright.
        name(errors, "given_name", person.givenName());
        name(errors, "family_name", person.familyName());
        errors.addAll(person.validate(phoneRegion).stream()
                .filter(e -> errors.stream().noneMatch(x -> x.field().equals(e.field()))).toList());
        if (person.email().isBlank() || Texts.hasControl(person.email())) {
            errors.removeIf(e -> e.field().equals("email"));
            errors.add(new FieldError("email", person.email().isBlank() ? "field.required" : "field.email.invalid"));
        }
        if (Texts.hasControl(person.ref())) errors.add(new FieldError("ref", "field.too_long"));
        if (Texts.hasControl(person.postalCode())) {
            errors.removeIf(e -> e.field().equals("postal_code"));
            errors.add(new FieldError("postal_code", "field.postal_code.invalid"));
        }
        if (Texts.hasControl(school)) errors.add(new FieldError("school", "letter.school.unknown"));
        else if (!school.isEmpty() && Recipients.canonicalSchool(schools, school) == null) {
            errors.add(new FieldError("school", "letter.school.unknown"));
        }
        if (action.targeting() == Targeting.BY_SCHOOL_OR_POSTAL_CODE && school.isEmpty() && person.postalCode().isBlank()) {
            errors.add(new FieldError("school", "letter.school.required"));
        }
        if (story.length() > MAX_STORY) errors.add(new FieldError("story", "field.too_long"));
        if (subject.isBlank()) errors.add(new FieldError("subject", "field.required"));
        else if (subject.length() > 200) errors.add(new FieldError("subject", "field.too_long"));
        else if (Texts.hasControl(subject)) errors.add(new FieldError("subject", "letter.field.one_line"));
        else MergeTemplate.check(subject).ifPresent(k -> errors.add(new FieldError("subject", k)));
        if (body.isBlank()) errors.add(new FieldError("body", "field.required"));
        else if (body.length() > 10_000) errors.add(new FieldError("body", "field.too_long"));
        else MergeTemplate.check(body).ifPresent(k -> errors.add(new FieldError("body", k)));
        return errors;
    }

    /** The values the merge fields take; the school as the directory spells it. */
    public Map<String, String> mergeValues(List<String> schools) {
        String s = Recipients.canonicalSchool(schools, school);
        return Map.of("given_name", person.cleanGivenName(), "family_name", person.cleanFamilyName(),
                "school", s == null ? school : s, "postal_code", person.postalCode().strip(), "story", story);
    }

    public String writerName() {
        return (person.cleanGivenName() + " " + person.cleanFamilyName()).strip();
    }

    private static void name(List<FieldError> errors, String field, String value) {
        if (value.isBlank()) errors.add(new FieldError(field, "field.required"));
        else if (Texts.hasControl(value)) errors.add(new FieldError(field, "letter.field.one_line"));
        else if (value.length() > 100) errors.add(new FieldError(field, "field.too_long"));
    }

    private static String j(JsonNode json, String key) {
        JsonNode n = json.get(key);
        return n == null || n.isNull() || !n.isValueNode() ? "" : n.asText("");
    }
}
