package org.convoca.supporter;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** Everything the list holds about one person, for the person page, the API and exports. */
public record Person(long id, String givenName, String familyName, String email, String emailStatus, String phone,
                     String postalCode, String language, String school, Map<String, Object> customFields,
                     String referralCode, Long recruitedBy, String recruitedByName, String source,
                     OffsetDateTime erasedAt, OffsetDateTime createdAt, OffsetDateTime updatedAt, List<String> tags) {

    public String displayName() {
        String n = (givenName + " " + familyName).strip();
        return n.isEmpty() ? email : n;
    }

    public boolean erased() {
        return erasedAt != null;
    }

    public String languageCode() {
        return language == null ? "" : language;
    }
}
