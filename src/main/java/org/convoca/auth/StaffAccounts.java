package org.convoca.auth;

import java.util.ArrayList;
import java.util.List;
import org.convoca.web.FieldError;
import org.convoca.web.Role;

/** Creating staff accounts, shared by the {@code create-user} command and the admin page. */
public final class StaffAccounts {
    private final UserRepository users;

    public StaffAccounts(UserRepository users) {
        this.users = users;
    }

    /** The outcome: the new user, or the field errors. */
    public record Result(User user, List<FieldError> errors) {
    }

    public Result create(String email, String name, String role, String password) {
        List<FieldError> errors = new ArrayList<>();
        if (!Emails.isValid(email)) errors.add(new FieldError("email", "field.email.invalid"));
        Role r = null;
        try {
            r = Role.ofStaff(role == null ? "" : role.strip());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("role", "user.role.invalid"));
        }
        if (name != null && name.length() > 200) errors.add(new FieldError("name", "field.too_long"));
        String pw = Passwords.problem(password);
        if (pw != null) errors.add(new FieldError("password", pw));
        if (!errors.isEmpty()) return new Result(null, errors);
        try {
            return new Result(users.create(email, name, r, Passwords.hash(password)), List.of());
        } catch (UserRepository.DuplicateEmail e) {
            return new Result(null, List.of(new FieldError("email", "user.exists")));
        }
    }
}
