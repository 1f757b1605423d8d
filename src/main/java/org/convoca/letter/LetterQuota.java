package org.convoca.letter;

import static org.convoca.db.schema.Tables.LETTER_QUOTAS;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jooq.DSLContext;

/**
 * Daily limits kept in PostgreSQL, so they hold across instances: per client address (hashed), per
 * writer (hashed email) and per target. One atomic upsert takes a unit only while under the limit,
 * in the caller's transaction, so a refused or rolled-back request uses nothing.
 */
public final class LetterQuota {
    /** Letter requests from one address a day: generous, a parent meeting shares one school network. */
    public static final int PER_IP = 100;
    /** Letter requests by one email address a day. */
    public static final int PER_WRITER = 10;
    /** Letters one target receives a day, across actions. */
    public static final int PER_TARGET = 500;

    public enum Scope { IP, WRITER, TARGET }

    private LetterQuota() {
    }

    /** Takes one unit of today's allowance; false (and nothing taken) when the limit is reached. */
    public static boolean take(DSLContext tx, Scope scope, String key, int limit) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String s = scope.name().toLowerCase(java.util.Locale.ROOT);
        return tx.insertInto(LETTER_QUOTAS)
                .set(LETTER_QUOTAS.SCOPE, s)
                .set(LETTER_QUOTAS.KEY, key)
                .set(LETTER_QUOTAS.DAY, today)
                .set(LETTER_QUOTAS.USED, 1)
                .onConflict(LETTER_QUOTAS.SCOPE, LETTER_QUOTAS.KEY, LETTER_QUOTAS.DAY).doUpdate()
                .set(LETTER_QUOTAS.USED, LETTER_QUOTAS.USED.plus(1))
                // The row lock of ON CONFLICT serialises concurrent takers: the limit is exact.
                .where(LETTER_QUOTAS.USED.lt(limit))
                .execute() == 1;
    }

    /** Forgets days before yesterday (housekeeping). */
    public static int deleteOld(DSLContext dsl) {
        return dsl.deleteFrom(LETTER_QUOTAS).where(LETTER_QUOTAS.DAY.lt(LocalDate.now(ZoneOffset.UTC).minusDays(1))).execute();
    }
}
