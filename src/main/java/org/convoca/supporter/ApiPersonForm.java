package org.convoca.supporter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads an OSDI person body over a stored person, for PUT: present keys replace, absent keys keep. */
final class ApiPersonForm {
    private ApiPersonForm() {
    }

    static PersonForm merge(PersonForm base, JsonNode p) {
        String email = base.email();
        String status = base.emailStatus();
        JsonNode address = p.path("email_addresses").path(0);
        if (address.isObject()) {
            if (address.has("address")) email = address.path("address").asText("");
            if (address.has("status")) status = address.path("status").asText("");
        }
        String phone = p.path("phone_numbers").isArray()
                ? p.path("phone_numbers").path(0).path("number").asText("") : base.phone();
        String postal = p.path("postal_addresses").isArray()
                ? p.path("postal_addresses").path(0).path("postal_code").asText("") : base.postalCode();
        String lang = p.path("languages_spoken").isArray() ? p.path("languages_spoken").path(0).asText("") : base.language();
        String custom = base.customFields();
        if (p.path("custom_fields").isObject()) {
            StringBuilder sb = new StringBuilder();
            Map<String, Object> merged = new LinkedHashMap<>(base.customFieldMap() == null ? Map.of() : base.customFieldMap());
            merged.putAll(customFields(p));
            merged.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
            custom = sb.toString();
        }
        return new PersonForm(text(p, "given_name", base.givenName()), text(p, "family_name", base.familyName()), email,
                status, phone, postal, lang, text(p, "school", base.school()), custom);
    }

    static Map<String, Object> customFields(JsonNode p) {
        Map<String, Object> out = new LinkedHashMap<>();
        p.path("custom_fields").fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getKey().isBlank() && e.getKey().length() <= 60 && !e.getKey().contains(":")) {
                out.put(e.getKey().strip(), PersonInput.clean(e.getValue().asText("")));
            }
        });
        return out;
    }

    static String jsonField(String formField) {
        return switch (formField) {
            case "email", "email_status" -> "email_addresses";
            case "phone" -> "phone_numbers";
            case "postal_code" -> "postal_addresses";
            case "language" -> "languages_spoken";
            default -> formField;
        };
    }

    private static String text(JsonNode n, String key, String fallback) {
        JsonNode v = n.get(key);
        if (v == null) return fallback;
        return v.isNull() ? "" : v.asText("");
    }
}
