package org.convoca.petition;

import io.javalin.http.Context;
import java.util.concurrent.TimeoutException;
import org.convoca.auth.Tokens;
import org.convoca.db.AppSecrets;
import org.convoca.web.HtmlError;
import org.jooq.DSLContext;

/**
 * Bot defence for the public sign form, with no third-party service: a honeypot input people never
 * see, a signed render time (a form sent back faster than a person can fill it is a script), and a
 * per-address limit counted in PostgreSQL ({@link RateCounter}) so it holds across instances.
 */
public final class BotGuard implements AutoCloseable {
    public static final String HONEYPOT = "website";
    public static final String STAMP = "_ts";
    /** Faster than this from page to submit is not a person (the brief allows at most 3 s). */
    static final long MIN_FILL_MILLIS = 2_000;
    /** A form page older than this is re-shown with a fresh stamp rather than accepted. */
    static final long MAX_AGE_MILLIS = 24 * 3600 * 1000L;

    public enum Verdict { OK, BOT, STALE }

    private final RateCounter counter;
    private final AppSecrets secrets;
    private final int perMinute;

    /**
     * {@code perMinute}: signatures accepted from one address per minute. A school's Wi-Fi puts a
     * whole room of parents behind one address, so the default (600) lets 100 of them sign in a
     * minute many times over while still stopping a flood.
     */
    public BotGuard(DSLContext dsl, AppSecrets secrets, int perMinute) {
        this.counter = new RateCounter(dsl);
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

    /** The honeypot and the signed render time; the per-address limit is {@link #withinLimit}. */
    public Verdict check(Context ctx, long petitionId) {
        String trap = ctx.formParam(HONEYPOT);
        if (trap != null && !trap.isEmpty()) return Verdict.BOT;
        Long renderedAt = verifiedStamp(ctx.formParam(STAMP), petitionId);
        if (renderedAt == null) return Verdict.STALE;
        long age = System.currentTimeMillis() - renderedAt;
        if (age < MIN_FILL_MILLIS) return Verdict.BOT;
        if (age > MAX_AGE_MILLIS) return Verdict.STALE;
        return Verdict.OK;
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
     * Counts this form post in its address's current minute, in PostgreSQL (shared by all
     * instances); false when over the limit. Concurrent posts are counted together.
     */
    boolean withinLimit(String ipHash) {
        try {
            return counter.hit(key(ipHash)) <= perMinute;
        } catch (TimeoutException e) {
            throw new HtmlError(503, "error.unavailable");
        }
    }

    /**
     * The form posts of a signature batch, to be counted against their addresses' limits in the
     * batch's own transaction ({@link FormPosts}); the API's signatures are not counted.
     */
    FormPosts posts(java.util.List<SignatureBatch.Item> items) {
        counter.cleanupNowAndThen();
        return new FormPosts(perMinute, items, items.stream().map(it -> it.limited() ? key(it.ipHash()) : null).toList());
    }

    private static String key(String ipHash) {
        return "sign:" + ipHash;
    }

    @Override
    public void close() {
        counter.close();
    }
}
