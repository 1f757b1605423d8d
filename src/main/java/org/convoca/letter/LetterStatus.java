package org.convoca.letter;

import java.util.Locale;
import java.util.Optional;

/** Mirrors the CHECK on advocacy_campaigns.status. Only open actions take letters; closed ones show a notice. */
public enum LetterStatus {
    DRAFT, OPEN, CLOSED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LetterStatus> parse(String s) {
        if (s == null) return Optional.empty();
        for (LetterStatus v : values()) {
            if (v.value().equals(s.strip().toLowerCase(Locale.ROOT))) return Optional.of(v);
        }
        return Optional.empty();
    }
}
