package org.convoca.letter;

import java.time.OffsetDateTime;
import java.util.List;

/** A decision maker in the directory: who they are, and the schools and postal codes they represent. */
public record Target(long id, String givenName, String familyName, String title, String body, String email,
                     String district, List<String> schools, List<String> postalCodes, OffsetDateTime retiredAt,
                     OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public String name() {
        return (givenName + " " + familyName).strip();
    }

    /** "Ana Ruiz, Board Member, LAUSD Board of Education": how a writer recognises them. */
    public String label() {
        StringBuilder sb = new StringBuilder(name());
        if (!title.isBlank()) sb.append(", ").append(title);
        if (!body.isBlank()) sb.append(", ").append(body);
        return sb.toString();
    }

    public boolean retired() {
        return retiredAt != null;
    }

    /** Whether this target represents the writer's school or postal code (case and spacing ignored). */
    public boolean represents(String school, String postalCode) {
        String s = Texts.key(school);
        String p = Texts.key(postalCode);
        return (!s.isEmpty() && schools.stream().anyMatch(x -> Texts.key(x).equals(s)))
                || (!p.isEmpty() && postalCodes.stream().anyMatch(x -> Texts.key(x).equals(p)));
    }
}
