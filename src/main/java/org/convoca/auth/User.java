package org.convoca.auth;

import org.convoca.web.Role;

/** A staff account: admin, organizer or leader. */
public record User(long id, String email, String name, Role role) {
    public boolean organizer() {
        return role.covers(Role.ORGANIZER);
    }

    public boolean admin() {
        return role.covers(Role.ADMIN);
    }

    public String displayName() {
        return name == null || name.isBlank() ? email : name;
    }
}
