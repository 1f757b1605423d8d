package org.convoca.letter;

import java.util.Locale;
import java.util.Optional;

/** Mirrors the CHECK on advocacy_campaigns.targeting: who receives a writer's letter. */
public enum Targeting {
    /** Every listed target. */
    ALL,
    /** The listed targets (or the whole directory) who represent the writer's school or postal code. */
    BY_SCHOOL_OR_POSTAL_CODE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Targeting> parse(String s) {
        if (s == null) return Optional.empty();
        for (Targeting v : values()) {
            if (v.value().equals(s.strip().toLowerCase(Locale.ROOT))) return Optional.of(v);
        }
        return Optional.empty();
    }
}
