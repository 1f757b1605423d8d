package org.convoca.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.net.URI;
import java.util.List;

/** Reading submitted values the same way everywhere: absent is "", JSON null is "", and common checks. */
public final class Inputs {
    private Inputs() {
    }

    /** A form field, "" when absent. */
    public static String form(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v;
    }

    /** A JSON field as text for a partial update: absent keeps {@code fallback}, null clears it. */
    public static String json(JsonNode json, String key, String fallback) {
        JsonNode n = json.get(key);
        if (n == null) return fallback;
        return n.isNull() ? "" : n.asText("");
    }

    /** An absolute https URL with a host, at most 1000 characters. */
    public static boolean isHttpsUrl(String url) {
        try {
            URI u = new URI(url.strip());
            return "https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null && url.length() <= 1000;
        } catch (Exception e) {
            return false;
        }
    }

    public static void tooLong(List<FieldError> errors, String field, String value, int max) {
        if (value.length() > max) errors.add(new FieldError(field, "field.too_long"));
    }
}
