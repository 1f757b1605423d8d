package org.convoca.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An attendance as OSDI shapes it, with the person embedded and the family's needs. */
final class AttendanceJson {
    private final AttendanceRepository attendances;

    AttendanceJson(AttendanceRepository attendances) {
        this.attendances = attendances;
    }

    Map<String, Object> page(long eventId, int page, int perPage) {
        List<Attendee> all = attendances.roster(eventId, null, 100_000);
        int from = Math.min(all.size(), (page - 1) * perPage);
        List<Attendee> items = all.subList(from, Math.min(all.size(), from + perPage));
        return new org.convoca.web.Paged<>(items, all.size(), page, perPage).osdi("attendances", this::toJson);
    }

    Map<String, Object> toJson(Attendee a) {
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("identifiers", List.of("convoca:" + a.personId()));
        person.put("given_name", a.givenName());
        person.put("family_name", a.familyName());
        person.put("email_addresses", List.of(Map.of("address", a.email(), "primary", true)));
        person.put("phone_numbers", a.phone().isEmpty() ? List.of() : List.of(Map.of("number", a.phone())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifiers", List.of("convoca:" + a.id()));
        m.put("id", a.id());
        m.put("created_date", a.createdAt());
        m.put("modified_date", a.updatedAt());
        m.put("status", a.status());
        m.put("attended", a.attended());
        m.put("walk_in", a.walkIn());
        m.put("guests", a.guests());
        m.put("childcare_children", a.childcareChildren());
        m.put("interpretation_language", a.interpretationLanguage());
        m.put("transport", a.transport());
        m.put("food", a.food());
        m.put("access_needs", a.accessNeeds());
        m.put("person", person);
        m.put("referrer_data", a.referralCode() == null ? Map.of() : Map.of("referrer", a.referralCode()));
        return m;
    }
}
