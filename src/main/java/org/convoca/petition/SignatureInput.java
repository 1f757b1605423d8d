package org.convoca.petition;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.List;
import org.convoca.supporter.PersonInput;
import org.convoca.web.FieldError;

/**
 * One signature as submitted: the person (contract input names) and what belongs to the
 * signature itself: comments, school, and whether the page may show "Ana R." among recent signers.
 */
public record SignatureInput(PersonInput person, String comments, String school, boolean publicDisplay) {
    /** Compiled once: String.replaceAll compiles its pattern on every call (seen in profiles). */
    private static final java.util.regex.Pattern CONTROL_BUT_NEWLINE = java.util.regex.Pattern.compile("[\\p{Cntrl}&&[^\\n]]");

    static final int MAX_COMMENTS = 2_000;

    public static SignatureInput from(Context ctx) {
        String shown = ctx.formParam("public_display");
        return new SignatureInput(PersonInput.from(ctx), param(ctx, "comments"), param(ctx, "school"),
                shown != null && !shown.isBlank() && !shown.equals("0"));
    }

    /** The OSDI record-signature helper body: {@code {person, comments, referrer_data: {referrer}}}. */
    public static SignatureInput fromOsdi(JsonNode body) {
        String referrer = body.path("referrer_data").path("referrer").asText("");
        return new SignatureInput(PersonInput.fromOsdi(body.get("person"), referrer),
                body.path("comments").isValueNode() ? body.path("comments").asText("") : "",
                body.path("school").isValueNode() ? body.path("school").asText("") : "",
                body.path("public_display").asBoolean(false));
    }

    /**
     * Person fields as the foundation checks them, plus what a petition needs: names for the
     * delivery list, and the fields the organizer asked for.
     */
    public List<FieldError> validate(Petition p, String phoneRegion) {
        List<FieldError> errors = new java.util.ArrayList<>();
        if (person.givenName().isBlank()) errors.add(new FieldError("given_name", "field.required"));
        if (person.familyName().isBlank()) errors.add(new FieldError("family_name", "field.required"));
        errors.addAll(person.validate(phoneRegion));
        if (comments.length() > MAX_COMMENTS) errors.add(new FieldError("comments", "field.too_long"));
        if (school.length() > 200) errors.add(new FieldError("school", "field.too_long"));
        return errors;
    }

    /** Comments without control characters other than line breaks. */
    public String cleanComments() {
        return CONTROL_BUT_NEWLINE.matcher(comments).replaceAll(" ").strip();
    }

    private static String param(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v;
    }
}
