package org.convoca.petition;

import java.util.Locale;
import java.util.Optional;

/** Mirrors the CHECK on petitions.status. Open petitions take signatures; closed ones show the final count. */
public enum PetitionStatus {
    DRAFT, OPEN, CLOSED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isPublic() {
        return this != DRAFT;
    }

    public static Optional<PetitionStatus> parse(String s) {
        if (s == null) return Optional.empty();
        for (PetitionStatus p : values()) {
            if (p.value().equals(s.strip().toLowerCase(Locale.ROOT))) return Optional.of(p);
        }
        return Optional.empty();
    }
}
