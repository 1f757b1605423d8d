package org.convoca.web;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. Every route in {@link org.convoca.App} names one; a route without a role
 * is refused (deny by default). Staff roles are ordered: an admin may do what an organizer may,
 * an organizer what a leader may.
 */
public enum Role implements RouteRole {
    /** Anyone; state-changing requests still need the CSRF token (login, password reset). */
    PUBLIC(0),
    /** Anyone, from any site: public supporter forms that partner sites may post to. No CSRF. */
    PUBLIC_FORM(0),
    LEADER(1),
    ORGANIZER(2),
    ADMIN(3);

    private final int rank;

    Role(int rank) {
        this.rank = rank;
    }

    public boolean isPublic() {
        return rank == 0;
    }

    /** Whether a staff member holding this role may use a route that requires {@code required}. */
    public boolean covers(Role required) {
        return rank >= required.rank;
    }

    public static Role ofStaff(String value) {
        return switch (value) {
            case "admin" -> ADMIN;
            case "organizer" -> ORGANIZER;
            case "leader" -> LEADER;
            default -> throw new IllegalArgumentException("role must be admin, organizer or leader");
        };
    }

    public String staffName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
