package org.convoca.petition;

import java.time.OffsetDateTime;

/** A signature with its signer, as organizer views, the API and the CSV export show it. */
public record SignatureRow(long id, long personId, String givenName, String familyName, String email,
                           String postalCode, String phone, String school, String comments, String status,
                           String source, boolean publicDisplay, String language, OffsetDateTime createdAt,
                           OffsetDateTime confirmedAt) {
    public String name() {
        return (givenName + " " + familyName).strip();
    }
}
