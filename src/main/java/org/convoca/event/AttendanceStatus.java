package org.convoca.event;

import java.util.Optional;

/** An attendance's state, mirroring the CHECK on {@code attendances.status}. */
public enum AttendanceStatus {
    ACCEPTED, WAITLISTED, CANCELLED;

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<AttendanceStatus> parse(String v) {
        for (AttendanceStatus s : values()) if (s.value().equals(v)) return Optional.of(s);
        return Optional.empty();
    }
}
