package org.convoca.mail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.FieldError;

/**
 * One piece of an audience: everyone on a static list, everyone with a tag, or everyone a saved
 * segment matches. Stored and exchanged as {@code {"list": id} | {"tag": "name"} | {"segment": id}}.
 */
public record Target(Kind kind, String value) {
    public enum Kind { LIST, TAG, SEGMENT }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(kind.name().toLowerCase(), kind == Kind.TAG ? value : (Object) Long.parseLong(value));
        return m;
    }

    public long id() {
        return Long.parseLong(value);
    }

    /** Reads a JSON array of targets; a malformed entry becomes an error on {@code field}. */
    public static List<Target> fromJson(JsonNode array, String field, List<FieldError> errors) {
        List<Target> out = new ArrayList<>();
        if (array == null || array.isNull() || array.isMissingNode()) return out;
        if (!array.isArray()) {
            errors.add(new FieldError(field, "message.targets.invalid"));
            return out;
        }
        for (JsonNode t : array) {
            if (t.hasNonNull("list") && t.get("list").canConvertToLong()) {
                out.add(new Target(Kind.LIST, String.valueOf(t.get("list").asLong())));
            } else if (t.hasNonNull("segment") && t.get("segment").canConvertToLong()) {
                out.add(new Target(Kind.SEGMENT, String.valueOf(t.get("segment").asLong())));
            } else if (t.hasNonNull("tag") && t.get("tag").isTextual() && !t.get("tag").asText().isBlank()) {
                out.add(new Target(Kind.TAG, t.get("tag").asText().strip()));
            } else {
                errors.add(new FieldError(field, "message.targets.invalid"));
            }
        }
        return out;
    }
}
