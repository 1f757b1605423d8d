package org.convoca.supporter;

import java.time.OffsetDateTime;

/** One row of the people list. */
public record PersonSummary(long id, String givenName, String familyName, String email, String emailStatus,
                            String phone, String postalCode, OffsetDateTime createdAt) {
    public String displayName() {
        String n = (givenName + " " + familyName).strip();
        return n.isEmpty() ? email : n;
    }
}
