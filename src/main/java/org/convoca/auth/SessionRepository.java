package org.convoca.auth;

import static org.convoca.db.schema.Tables.SESSIONS;
import static org.convoca.db.schema.Tables.USERS;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Staff sessions in PostgreSQL, so any instance can serve any request. The browser holds a random
 * token; the table holds its SHA-256. A session ends at its absolute expiry or after sitting idle.
 */
public final class SessionRepository {
    public static final Duration IDLE_TIMEOUT = Duration.ofHours(2);
    public static final Duration ABSOLUTE_TIMEOUT = Duration.ofHours(12);
    // last_seen_at is written at most this often, so a busy admin page is not a write per request.
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** A live session: who, and the CSRF token bound to it. */
    public record Session(String tokenHash, User user, String csrfToken) {
    }

    private final DSLContext dsl;

    public SessionRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Starts a session and returns the token for the cookie (never stored as is). */
    public String create(long userId) {
        String token = Tokens.random();
        dsl.insertInto(SESSIONS)
                .set(SESSIONS.TOKEN_HASH, Tokens.sha256(token))
                .set(SESSIONS.USER_ID, userId)
                .set(SESSIONS.CSRF_TOKEN, Tokens.random())
                .set(SESSIONS.EXPIRES_AT, OffsetDateTime.now().plus(ABSOLUTE_TIMEOUT))
                .execute();
        return token;
    }

    public Optional<Session> find(String token) {
        if (token == null || token.isBlank() || token.length() > 100) return Optional.empty();
        String hash = Tokens.sha256(token);
        OffsetDateTime now = OffsetDateTime.now();
        var row = dsl.select(SESSIONS.TOKEN_HASH, SESSIONS.CSRF_TOKEN, SESSIONS.LAST_SEEN_AT, USERS.asterisk())
                .from(SESSIONS).join(USERS).on(USERS.ID.eq(SESSIONS.USER_ID))
                .where(SESSIONS.TOKEN_HASH.eq(hash))
                .and(SESSIONS.EXPIRES_AT.gt(now))
                .and(SESSIONS.LAST_SEEN_AT.gt(now.minus(IDLE_TIMEOUT)))
                .fetchOne();
        if (row == null) return Optional.empty();
        if (row.get(SESSIONS.LAST_SEEN_AT).isBefore(now.minus(TOUCH_EVERY))) {
            dsl.update(SESSIONS).set(SESSIONS.LAST_SEEN_AT, now).where(SESSIONS.TOKEN_HASH.eq(hash)).execute();
        }
        return Optional.of(new Session(hash, UserRepository.toUser(row), row.get(SESSIONS.CSRF_TOKEN)));
    }

    /** Whether the session confirmed its password within {@code window}. */
    public boolean reauthenticatedWithin(String tokenHash, Duration window) {
        return dsl.fetchExists(SESSIONS, SESSIONS.TOKEN_HASH.eq(tokenHash)
                .and(SESSIONS.REAUTHENTICATED_AT.gt(OffsetDateTime.now().minus(window))));
    }

    public void markReauthenticated(String tokenHash) {
        dsl.update(SESSIONS).set(SESSIONS.REAUTHENTICATED_AT, OffsetDateTime.now()).where(SESSIONS.TOKEN_HASH.eq(tokenHash)).execute();
    }

    public void delete(String tokenHash) {
        dsl.deleteFrom(SESSIONS).where(SESSIONS.TOKEN_HASH.eq(tokenHash)).execute();
    }

    /** Ends every session of a user (password reset or change). */
    public void deleteAllFor(long userId) {
        dsl.deleteFrom(SESSIONS).where(SESSIONS.USER_ID.eq(userId)).execute();
    }

    public int deleteExpired() {
        OffsetDateTime now = OffsetDateTime.now();
        return dsl.deleteFrom(SESSIONS)
                .where(SESSIONS.EXPIRES_AT.le(now).or(SESSIONS.LAST_SEEN_AT.le(now.minus(IDLE_TIMEOUT))))
                .execute();
    }
}
