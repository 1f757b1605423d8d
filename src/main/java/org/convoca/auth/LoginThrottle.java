package org.convoca.auth;

import static org.convoca.db.schema.Tables.LOGIN_FAILURES;

import java.time.Duration;
import java.time.OffsetDateTime;
import org.jooq.DSLContext;

/**
 * Slows password guessing: after {@link #MAX_PER_ACCOUNT} failures for one account, or
 * {@link #MAX_PER_CLIENT} from one client, within {@link #WINDOW}, further attempts are refused
 * until the window passes. Counted in PostgreSQL so the limit holds across instances.
 */
public final class LoginThrottle {
    public static final Duration WINDOW = Duration.ofMinutes(15);
    public static final int MAX_PER_ACCOUNT = 5;
    public static final int MAX_PER_CLIENT = 30;

    private final DSLContext dsl;

    public LoginThrottle(DSLContext dsl) {
        this.dsl = dsl;
    }

    public boolean isBlocked(String emailNormalized, String clientHash) {
        OffsetDateTime since = OffsetDateTime.now().minus(WINDOW);
        int account = count(accountKey(emailNormalized), since);
        if (account >= MAX_PER_ACCOUNT) return true;
        return count("client:" + clientHash, since) >= MAX_PER_CLIENT;
    }

    public void recordFailure(String emailNormalized, String clientHash) {
        dsl.insertInto(LOGIN_FAILURES, LOGIN_FAILURES.THROTTLE_KEY)
                .values(accountKey(emailNormalized))
                .values("client:" + clientHash)
                .execute();
    }

    public void clear(String emailNormalized) {
        dsl.deleteFrom(LOGIN_FAILURES).where(LOGIN_FAILURES.THROTTLE_KEY.eq(accountKey(emailNormalized))).execute();
    }

    public int deleteOld() {
        return dsl.deleteFrom(LOGIN_FAILURES)
                .where(LOGIN_FAILURES.FAILED_AT.lt(OffsetDateTime.now().minus(WINDOW)))
                .execute();
    }

    /** Keyed by a digest: fixed length whatever was typed, and no email addresses in this table. */
    private static String accountKey(String emailNormalized) {
        return "email:" + Tokens.sha256(emailNormalized);
    }

    private int count(String key, OffsetDateTime since) {
        return dsl.fetchCount(LOGIN_FAILURES,
                LOGIN_FAILURES.THROTTLE_KEY.eq(key).and(LOGIN_FAILURES.FAILED_AT.gt(since)));
    }

}
