package org.convoca.petition;

import static org.convoca.db.schema.Tables.FORM_RATE_LIMITS;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.jooq.DSLContext;
import org.jooq.Result;
import org.jooq.impl.DSL;

/**
 * Per-key, per-minute hit counts in PostgreSQL (form_rate_limits), so a limit holds across
 * instances. Counting is set-based: the hits of many requests are added up per key and written
 * with one multi-row upsert, which returns each key's new total; every request then learns its
 * own place in that total, exactly as if it had counted alone. {@link #hit} counts in a short
 * transaction of its own; the signature writer counts its batch's form posts inside its own
 * transaction instead ({@link FormPosts}), one round trip fewer for every batch.
 */
final class RateCounter implements AutoCloseable {
    private static final long CLEANUP_EVERY_MILLIS = 60_000;
    /** Sorted keys: two instances' upserts lock rows in the same order and cannot deadlock. */
    private static final Comparator<Hit> BY_KEY = Comparator.comparing(Hit::key).thenComparing(Hit::window);

    /** One hit on {@code key} in the minute starting at {@code window}. */
    record Hit(String key, OffsetDateTime window) {
        static Hit now(String key) {
            return new Hit(key, OffsetDateTime.now().truncatedTo(ChronoUnit.MINUTES));
        }
    }

    /** The hits of one write, summed per key: its upsert and, from the totals, each hit's number. */
    static final class Tally {
        private final List<Hit> hits;
        private final TreeMap<Hit, Integer> perKey = new TreeMap<>(BY_KEY);

        Tally(List<Hit> hits) {
            this.hits = hits;
            for (Hit h : hits) perKey.merge(h, 1, Integer::sum);
        }

        /**
         * One row per key, bound as arrays ({@link org.convoca.db.ArrayRows}): the statement's text
         * is the same whatever the number of keys, so it is rendered once (a multi-row VALUES list
         * was rendered by jOOQ for every write, a sixth of the signature writer's CPU in perf).
         */
        RoundTrip.Shaped upsert(DSLContext tx) {
            List<String> keys = new ArrayList<>(perKey.size());
            List<OffsetDateTime> windows = new ArrayList<>(perKey.size());
            List<Integer> counts = new ArrayList<>(perKey.size());
            for (var e : perKey.entrySet()) {
                keys.add(e.getKey().key());
                windows.add(e.getKey().window());
                counts.add(e.getValue());
            }
            org.convoca.db.ArrayRows v = new org.convoca.db.ArrayRows("v");
            var key = v.column(FORM_RATE_LIMITS.KEY, keys);
            var window = v.column(FORM_RATE_LIMITS.WINDOW_START, windows);
            var hits = v.column(FORM_RATE_LIMITS.HITS, counts);
            // Rows in key order (perKey is sorted): two instances lock them alike.
            return new RoundTrip.Shaped("rate.upsert", tx.insertInto(FORM_RATE_LIMITS, FORM_RATE_LIMITS.KEY,
                            FORM_RATE_LIMITS.WINDOW_START, FORM_RATE_LIMITS.HITS)
                    .select(DSL.select(key, window, hits).from(v.table()))
                    .onConflict(FORM_RATE_LIMITS.KEY, FORM_RATE_LIMITS.WINDOW_START).doUpdate()
                    .set(FORM_RATE_LIMITS.HITS, FORM_RATE_LIMITS.HITS.plus(DSL.excluded(FORM_RATE_LIMITS.HITS)))
                    .returningResult(FORM_RATE_LIMITS.KEY, FORM_RATE_LIMITS.WINDOW_START, FORM_RATE_LIMITS.HITS),
                    v.arrays());
        }

        /**
         * For each hit, in the order given: the highest total its key may have after this write's
         * upsert for the hit to be within {@code limit}. A key's hits are numbered in order after
         * the total it had before (the total less this write's hits).
         */
        List<Integer> ceilings(int limit) {
            Map<Hit, Integer> rank = new TreeMap<>(BY_KEY);
            List<Integer> out = new ArrayList<>(hits.size());
            for (Hit h : hits) out.add(limit + perKey.get(h) - rank.merge(h, 1, Integer::sum));
            return out;
        }

        List<Hit> hits() {
            return hits;
        }

        boolean isEmpty() {
            return hits.isEmpty();
        }

        /** Each hit's number in its minute, in the order the hits were given (1, 2, …). */
        List<Integer> numbers(Result<?> totals) {
            Map<String, Integer> byKey = new HashMap<>();
            for (var r : totals) {
                byKey.put(id(r.get(FORM_RATE_LIMITS.KEY), r.get(FORM_RATE_LIMITS.WINDOW_START)), r.get(FORM_RATE_LIMITS.HITS));
            }
            // This write's hits were the last ones added to each total: number them in arrival order.
            Map<Hit, Integer> next = new TreeMap<>(BY_KEY);
            for (var e : perKey.entrySet()) {
                next.put(e.getKey(), byKey.get(id(e.getKey().key(), e.getKey().window())) - e.getValue());
            }
            List<Integer> out = new ArrayList<>(hits.size());
            for (Hit h : hits) out.add(next.merge(h, 1, Integer::sum));
            return out;
        }

        private static String id(String key, OffsetDateTime window) {
            return key + "@" + window.toInstant();
        }
    }

    private final DSLContext dsl;
    private final GroupCommit<Hit, Integer> writer;
    private volatile long lastCleanup = System.currentTimeMillis();

    RateCounter(DSLContext dsl) {
        this.dsl = dsl;
        this.writer = new GroupCommit<>("rate-counter", 1, 1_000, this::count);
    }

    /** Counts one hit for {@code key} in the current minute; returns this hit's number in it (1, 2, …). */
    int hit(String key) throws TimeoutException {
        return writer.submit(Hit.now(key), 30);
    }

    /** The hits of many keys in the current minute, to count inside the caller's own transaction. */
    static Tally tally(List<String> keys) {
        List<Hit> hits = new ArrayList<>(keys.size());
        for (String k : keys) hits.add(Hit.now(k));
        return new Tally(hits);
    }

    private List<Integer> count(List<Hit> hits) {
        Tally tally = new Tally(hits);
        var totals = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            // A lost count after a crash is harmless: this write need not wait for the WAL flush.
            // The setting, the upsert and the commit go in one round trip.
            return RoundTrip.fetchShaped(tx, List.of(
                    new RoundTrip.Shaped("rate.asyncCommit", tx.setLocal(DSL.name("synchronous_commit"), DSL.inline("off")),
                            List.of()),
                    tally.upsert(tx),
                    RoundTrip.commit(tx))).get(0);
        });
        cleanupNowAndThen();
        return tally.numbers(totals);
    }

    /** Old windows are useless: they are dropped about once a minute. */
    void cleanupNowAndThen() {
        long now = System.currentTimeMillis();
        if (now - lastCleanup < CLEANUP_EVERY_MILLIS) return;
        lastCleanup = now;
        OffsetDateTime before = OffsetDateTime.now().truncatedTo(ChronoUnit.MINUTES).minusMinutes(10);
        dsl.deleteFrom(FORM_RATE_LIMITS).where(FORM_RATE_LIMITS.WINDOW_START.lt(before)).execute();
    }

    @Override
    public void close() {
        writer.close();
    }
}
