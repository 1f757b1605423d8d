package org.convoca.auth;

import static org.convoca.db.schema.Tables.API_KEYS;
import static org.convoca.db.schema.Tables.USERS;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/** API tokens: shown once at creation, stored as SHA-256, revocable. */
public final class ApiKeyRepository {
    public record ApiKey(long id, String name, String prefix, String ownerEmail,
                         OffsetDateTime createdAt, OffsetDateTime lastUsedAt, OffsetDateTime revokedAt) {
    }

    private final DSLContext dsl;

    public ApiKeyRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Creates a key for the user and returns the token (the only time it exists in clear). */
    public String create(long userId, String name) {
        String token = "cvk_" + Tokens.random();
        dsl.insertInto(API_KEYS)
                .set(API_KEYS.USER_ID, userId)
                .set(API_KEYS.NAME, name == null ? "" : name.strip())
                .set(API_KEYS.TOKEN_HASH, Tokens.sha256(token))
                .set(API_KEYS.TOKEN_PREFIX, token.substring(0, 10))
                .execute();
        return token;
    }

    public Optional<User> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 200) return Optional.empty();
        String hash = Tokens.sha256(token.strip());
        Optional<User> user = dsl.select(USERS.asterisk()).from(API_KEYS).join(USERS).on(USERS.ID.eq(API_KEYS.USER_ID))
                .where(API_KEYS.TOKEN_HASH.eq(hash)).and(API_KEYS.REVOKED_AT.isNull())
                .fetchOptional(UserRepository::toUser);
        user.ifPresent(u -> dsl.update(API_KEYS).set(API_KEYS.LAST_USED_AT, OffsetDateTime.now())
                .where(API_KEYS.TOKEN_HASH.eq(hash))
                .and(API_KEYS.LAST_USED_AT.isNull().or(API_KEYS.LAST_USED_AT.lt(OffsetDateTime.now().minusMinutes(1))))
                .execute());
        return user;
    }

    public List<ApiKey> all() {
        return dsl.select(API_KEYS.ID, API_KEYS.NAME, API_KEYS.TOKEN_PREFIX, USERS.EMAIL,
                        API_KEYS.CREATED_AT, API_KEYS.LAST_USED_AT, API_KEYS.REVOKED_AT)
                .from(API_KEYS).join(USERS).on(USERS.ID.eq(API_KEYS.USER_ID))
                .orderBy(API_KEYS.CREATED_AT.desc())
                .fetch(r -> new ApiKey(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7()));
    }

    public boolean revoke(long id) {
        return dsl.update(API_KEYS).set(API_KEYS.REVOKED_AT, OffsetDateTime.now())
                .where(API_KEYS.ID.eq(id)).and(API_KEYS.REVOKED_AT.isNull()).execute() == 1;
    }
}
