package org.convoca.auth;

import static org.convoca.db.schema.Tables.USERS;

import java.util.List;
import java.util.Optional;
import org.convoca.db.schema.tables.records.UsersRecord;
import org.convoca.web.Role;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;

/** Staff accounts. */
public final class UserRepository {
    private final DSLContext dsl;

    public UserRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public static final class DuplicateEmail extends RuntimeException {
        public DuplicateEmail() {
            super("a user with this email already exists");
        }
    }

    public User create(String email, String name, Role role, String passwordHash) {
        try {
            UsersRecord r = dsl.insertInto(USERS)
                    .set(USERS.EMAIL, email.strip())
                    .set(USERS.EMAIL_NORMALIZED, Emails.normalize(email))
                    .set(USERS.NAME, name == null ? "" : name.strip())
                    .set(USERS.ROLE, role.staffName())
                    .set(USERS.PASSWORD_HASH, passwordHash)
                    .returning()
                    .fetchOne();
            return toUser(r);
        } catch (IntegrityConstraintViolationException e) {
            throw new DuplicateEmail();
        }
    }

    public Optional<User> findById(long id) {
        return dsl.selectFrom(USERS).where(USERS.ID.eq(id)).fetchOptional().map(UserRepository::toUser);
    }

    public Optional<User> findByEmail(String email) {
        return findRecordByEmail(email).map(UserRepository::toUser);
    }

    /** The stored Argon2 hash, for the login check. */
    public Optional<String> passwordHash(long userId) {
        return dsl.select(USERS.PASSWORD_HASH).from(USERS).where(USERS.ID.eq(userId)).fetchOptional(USERS.PASSWORD_HASH);
    }

    public void updatePassword(long userId, String passwordHash) {
        dsl.update(USERS)
                .set(USERS.PASSWORD_HASH, passwordHash)
                .set(USERS.UPDATED_AT, org.jooq.impl.DSL.currentOffsetDateTime())
                .where(USERS.ID.eq(userId))
                .execute();
    }

    public List<User> all() {
        return dsl.selectFrom(USERS).orderBy(USERS.EMAIL_NORMALIZED).fetch(UserRepository::toUser);
    }

    private Optional<UsersRecord> findRecordByEmail(String email) {
        return dsl.selectFrom(USERS).where(USERS.EMAIL_NORMALIZED.eq(Emails.normalize(email))).fetchOptional();
    }

    static User toUser(Record r) {
        return new User(r.get(USERS.ID), r.get(USERS.EMAIL), r.get(USERS.NAME), Role.ofStaff(r.get(USERS.ROLE)));
    }
}
