package org.convoca.campaign;

import java.util.Locale;
import java.util.Optional;

/** Mirrors the CHECK on campaigns.status. Only live and closed campaigns have public pages. */
public enum CampaignStatus {
    DRAFT, LIVE, CLOSED, ARCHIVED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isPublic() {
        return this == LIVE || this == CLOSED;
    }

    public static Optional<CampaignStatus> parse(String s) {
        if (s == null) return Optional.empty();
        for (CampaignStatus c : values()) {
            if (c.value().equals(s.strip().toLowerCase(Locale.ROOT))) return Optional.of(c);
        }
        return Optional.empty();
    }
}
