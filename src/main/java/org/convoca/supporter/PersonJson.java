package org.convoca.supporter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A person in the contract's OSDI shape. */
public final class PersonJson {
    private PersonJson() {
    }

    public static Map<String, Object> of(Person p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifiers", List.of("convoca:" + p.id()));
        m.put("given_name", p.givenName());
        m.put("family_name", p.familyName());
        m.put("email_addresses", p.email().isEmpty() ? List.of()
                : List.of(Map.of("address", p.email(), "primary", true, "status", p.emailStatus())));
        m.put("phone_numbers", p.phone().isEmpty() ? List.of() : List.of(Map.of("number", p.phone())));
        m.put("postal_addresses", p.postalCode().isEmpty() ? List.of() : List.of(Map.of("postal_code", p.postalCode())));
        m.put("languages_spoken", p.language() == null ? List.of() : List.of(p.language()));
        m.put("custom_fields", p.customFields());
        m.put("tags", p.tags());
        m.put("referral_code", p.referralCode());
        m.put("created_date", p.createdAt());
        m.put("modified_date", p.updatedAt());
        return m;
    }
}
