package org.convoca.auth;

import static org.convoca.db.schema.Tables.LOGIN_CHALLENGES;
import static org.convoca.db.schema.Tables.USERS;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.DSLContext;

/** TOTP secrets on staff accounts, and the short-lived challenges between password and code. */
public final class TwoFactorRepository {
    public static final Duration CHALLENGE_VALID_FOR = Duration.ofMinutes(5);
    public static final int MAX_ATTEMPTS = 5;

    /** A pending second-factor login. */
    public record Challenge(String tokenHash, long userId, String next, int attempts) {
    }

    private final DSLContext dsl;

    public TwoFactorRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Optional<String> secret(long userId) {
        return dsl.select(USERS.TOTP_SECRET).from(USERS).where(USERS.ID.eq(userId)).fetchOptional(USERS.TOTP_SECRET);
    }

    public Optional<String> pendingSecret(long userId) {
        return dsl.select(USERS.TOTP_PENDING).from(USERS).where(USERS.ID.eq(userId)).fetchOptional(USERS.TOTP_PENDING);
    }

    public void startEnrollment(long userId, String secret) {
        dsl.update(USERS).set(USERS.TOTP_PENDING, secret).where(USERS.ID.eq(userId)).execute();
    }

    public void enable(long userId, String secret, long step) {
        dsl.update(USERS).set(USERS.TOTP_SECRET, secret).setNull(USERS.TOTP_PENDING).set(USERS.TOTP_LAST_STEP, step)
                .where(USERS.ID.eq(userId)).execute();
    }

    public void disable(long userId) {
        dsl.update(USERS).setNull(USERS.TOTP_SECRET).setNull(USERS.TOTP_PENDING).where(USERS.ID.eq(userId)).execute();
    }

    /** Uses a time step once: false when it (or a later one) was already used. Atomic across instances. */
    public boolean consumeStep(long userId, long step) {
        return dsl.update(USERS).set(USERS.TOTP_LAST_STEP, step)
                .where(USERS.ID.eq(userId)).and(USERS.TOTP_LAST_STEP.lt(step)).execute() == 1;
    }

    public String createChallenge(long userId, String next) {
        String token = Tokens.random();
        dsl.insertInto(LOGIN_CHALLENGES)
                .set(LOGIN_CHALLENGES.TOKEN_HASH, Tokens.sha256(token))
                .set(LOGIN_CHALLENGES.USER_ID, userId)
                .set(LOGIN_CHALLENGES.NEXT_PATH, next)
                .set(LOGIN_CHALLENGES.EXPIRES_AT, OffsetDateTime.now().plus(CHALLENGE_VALID_FOR))
                .execute();
        return token;
    }

    public Optional<Challenge> findChallenge(String token) {
        if (token == null || token.isBlank() || token.length() > 100) return Optional.empty();
        return dsl.selectFrom(LOGIN_CHALLENGES)
                .where(LOGIN_CHALLENGES.TOKEN_HASH.eq(Tokens.sha256(token)))
                .and(LOGIN_CHALLENGES.EXPIRES_AT.gt(OffsetDateTime.now()))
                .and(LOGIN_CHALLENGES.ATTEMPTS.lt(MAX_ATTEMPTS))
                .fetchOptional(r -> new Challenge(r.getTokenHash(), r.getUserId(), r.getNextPath(), r.getAttempts()));
    }

    public void recordFailedAttempt(String tokenHash) {
        dsl.update(LOGIN_CHALLENGES).set(LOGIN_CHALLENGES.ATTEMPTS, LOGIN_CHALLENGES.ATTEMPTS.plus(1))
                .where(LOGIN_CHALLENGES.TOKEN_HASH.eq(tokenHash)).execute();
    }

    public void deleteChallenge(String tokenHash) {
        dsl.deleteFrom(LOGIN_CHALLENGES).where(LOGIN_CHALLENGES.TOKEN_HASH.eq(tokenHash)).execute();
    }
}
