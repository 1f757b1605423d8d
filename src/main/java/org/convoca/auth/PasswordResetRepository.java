package org.convoca.auth;

import static org.convoca.db.schema.Tables.PASSWORD_RESETS;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.DSLContext;

/** Single-use, expiring password-reset tokens, stored hashed. */
public final class PasswordResetRepository {
    public static final Duration VALID_FOR = Duration.ofHours(1);
    private final DSLContext dsl;

    public PasswordResetRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public String create(DSLContext tx, long userId) {
        String token = Tokens.random();
        tx.insertInto(PASSWORD_RESETS)
                .set(PASSWORD_RESETS.TOKEN_HASH, Tokens.sha256(token))
                .set(PASSWORD_RESETS.USER_ID, userId)
                .set(PASSWORD_RESETS.EXPIRES_AT, OffsetDateTime.now().plus(VALID_FOR))
                .execute();
        return token;
    }

    /** The user a still-valid, unused token belongs to. */
    public Optional<Long> validUser(String token) {
        if (token == null || token.isBlank() || token.length() > 100) return Optional.empty();
        return dsl.select(PASSWORD_RESETS.USER_ID).from(PASSWORD_RESETS)
                .where(PASSWORD_RESETS.TOKEN_HASH.eq(Tokens.sha256(token)))
                .and(PASSWORD_RESETS.USED_AT.isNull())
                .and(PASSWORD_RESETS.EXPIRES_AT.gt(OffsetDateTime.now()))
                .fetchOptional(PASSWORD_RESETS.USER_ID);
    }

    /**
     * Marks the token used and returns its user, atomically: of two concurrent uses of one link,
     * exactly one wins.
     */
    public Optional<Long> consume(DSLContext tx, String token) {
        if (token == null || token.isBlank() || token.length() > 100) return Optional.empty();
        return tx.update(PASSWORD_RESETS)
                .set(PASSWORD_RESETS.USED_AT, OffsetDateTime.now())
                .where(PASSWORD_RESETS.TOKEN_HASH.eq(Tokens.sha256(token)))
                .and(PASSWORD_RESETS.USED_AT.isNull())
                .and(PASSWORD_RESETS.EXPIRES_AT.gt(OffsetDateTime.now()))
                .returning(PASSWORD_RESETS.USER_ID)
                .fetchOptional(PASSWORD_RESETS.USER_ID);
    }
}
