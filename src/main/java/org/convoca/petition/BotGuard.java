package org.convoca.petition;

import static org.convoca.db.schema.Tables.FORM_RATE_LIMITS;

import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.convoca.auth.Tokens;
import org.convoca.db.AppSecrets;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Bot defence for the public sign form, with no third-party service: a honeypot input people never
 * see, a signed render time (a form sent back faster than a person can fill it is a script), and a
 * per-address limit counted in PostgreSQL so it holds across instances.
 */
public final class BotGuard {
    public static final String HONEYPOT = "website";
    public static final String STAMP = "_ts";
    /** Faster than this from page to submit is not a person (the brief allows at most 3 s). */
    static final long MIN_FILL_MILLIS = 2_000;
    /** A form page older than this is re-shown with a fresh stamp rather than accepted. */
    static final long MAX_AGE_MILLIS = 24 * 3600 * 1000L;
    /** Rows per address and minute; see the migration's note on form_rate_limits. */
    static final int SHARDS = 32;

    public enum Verdict { OK, BOT, STALE, RATE_LIMITED }

    private final DSLContext dsl;
    private final AppSecrets secrets;
    private final int perMinute;

    /**
     * {@code perMinute}: signatures accepted from one address per minute. A school's Wi-Fi puts a
     * whole room of parents behind one address, so the default (600) lets 100 of them sign in a
     * minute many times over while still stopping a flood.
     */
    public BotGuard(DSLContext dsl, AppSecrets secrets, int perMinute) {
        this.dsl = dsl;
        this.secrets = secrets;
        this.perMinute = perMinute;
    }

    /** From PETITION_SIGNS_PER_IP_PER_MINUTE (system property or environment), default 600. */
    public static int configuredPerMinute() {
        String v = System.getProperty("PETITION_SIGNS_PER_IP_PER_MINUTE", System.getenv("PETITION_SIGNS_PER_IP_PER_MINUTE"));
        try {
            return v == null || v.isBlank() ? 600 : Math.max(1, Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
            return 600;
        }
    }

    /** The value of the hidden {@link #STAMP} input: render time and its HMAC, bound to the petition. */
    public String stamp(long petitionId) {
        long now = System.currentTimeMillis();
        return now + "." + secrets.hmac("petition-form:" + petitionId + ":" + now);
    }

    public Verdict check(Context ctx, long petitionId, String ipHash) {
        String trap = ctx.formParam(HONEYPOT);
        if (trap != null && !trap.isEmpty()) return Verdict.BOT;
        Long renderedAt = verifiedStamp(ctx.formParam(STAMP), petitionId);
        if (renderedAt == null) return Verdict.STALE;
        long age = System.currentTimeMillis() - renderedAt;
        if (age < MIN_FILL_MILLIS) return Verdict.BOT;
        if (age > MAX_AGE_MILLIS) return Verdict.STALE;
        return withinLimit(ipHash) ? Verdict.OK : Verdict.RATE_LIMITED;
    }

    /** Render time in epoch millis when the stamp is ours and untampered; else null. */
    Long verifiedStamp(String stamp, long petitionId) {
        if (stamp == null || stamp.length() > 100) return null;
        int dot = stamp.indexOf('.');
        if (dot <= 0) return null;
        try {
            long at = Long.parseLong(stamp.substring(0, dot));
            String expected = secrets.hmac("petition-form:" + petitionId + ":" + at);
            return Tokens.constantTimeEquals(expected, stamp.substring(dot + 1)) ? at : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Counts this request in its address's current minute. The count is spread over {@link #SHARDS}
     * rows picked at random, so concurrent signers behind one address do not serialise on one row;
     * each shard allows its share of the limit.
     */
    boolean withinLimit(String ipHash) {
        OffsetDateTime window = OffsetDateTime.now().truncatedTo(ChronoUnit.MINUTES);
        int shard = ThreadLocalRandom.current().nextInt(SHARDS);
        // A lost count after a crash is harmless, so this write does not wait for the WAL flush:
        // the signature's own transaction is the one that must be durable.
        int hits = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.setLocal(DSL.name("synchronous_commit"), DSL.inline("off")).execute();
            return tx.insertInto(FORM_RATE_LIMITS)
                    .set(FORM_RATE_LIMITS.KEY, "sign:" + ipHash + ":" + shard)
                    .set(FORM_RATE_LIMITS.WINDOW_START, window)
                    .set(FORM_RATE_LIMITS.HITS, 1)
                    .onConflict(FORM_RATE_LIMITS.KEY, FORM_RATE_LIMITS.WINDOW_START).doUpdate()
                    .set(FORM_RATE_LIMITS.HITS, FORM_RATE_LIMITS.HITS.plus(1))
                    .returningResult(FORM_RATE_LIMITS.HITS)
                    .fetchSingle().value1();
        });
        if (ThreadLocalRandom.current().nextInt(500) == 0) {
            dsl.deleteFrom(FORM_RATE_LIMITS).where(FORM_RATE_LIMITS.WINDOW_START.lt(window.minusMinutes(10))).execute();
        }
        return hits <= Math.max(1, (perMinute + SHARDS - 1) / SHARDS);
    }
}
