package org.convoca.web;

import org.convoca.auth.User;

/**
 * Who is calling: a staff user signed in through a session (with its CSRF token), or through an
 * API token ({@code sessionHash} null).
 */
public record Principal(User user, String sessionHash, String csrfToken) {
    public Role role() {
        return user.role();
    }
}
