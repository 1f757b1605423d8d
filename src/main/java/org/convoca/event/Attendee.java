package org.convoca.event;

/** A row of an event's roster, for the host, the check-in page and the API; referralCode is the referrer's (or null). */
public record Attendee(long id, long personId, String givenName, String familyName, String email, String phone,
                       String status, int guests, int childcareChildren, String interpretationLanguage,
                       boolean transport, boolean food, String accessNeeds, Long referrerId, boolean attended,
                       boolean walkIn, java.time.OffsetDateTime createdAt, java.time.OffsetDateTime updatedAt,
                       String referralCode) {
    public String name() {
        String n = (givenName + " " + familyName).strip();
        return n.isEmpty() ? email : n;
    }

    public boolean waitlisted() {
        return "waitlisted".equals(status);
    }
}
