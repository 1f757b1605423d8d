package org.convoca.petition;

import static org.convoca.db.schema.Tables.FORM_RATE_LIMITS;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Per-key, per-minute hit counts in PostgreSQL (form_rate_limits), so a limit holds across
 * instances. Counting is a group commit: the hits that arrive while one write runs are added up
 * per key and written with one multi-row upsert, which returns each key's new total; every
 * request then learns its own place in that total, exactly as if it had counted alone.
 */
final class RateCounter implements AutoCloseable {
    private static final long CLEANUP_EVERY_MILLIS = 60_000;

    private record Hit(String key, OffsetDateTime window) {
    }

    private static final java.util.Comparator<Hit> BY_KEY =
            java.util.Comparator.comparing(Hit::key).thenComparing(Hit::window);

    private final DSLContext dsl;
    private final GroupCommit<Hit, Integer> writer;
    private long lastCleanup = System.currentTimeMillis();

    RateCounter(DSLContext dsl) {
        this.dsl = dsl;
        this.writer = new GroupCommit<>("rate-counter", 1, 1_000, this::count);
    }

    /** Counts one hit for {@code key} in the current minute; returns this hit's number in it (1, 2, …). */
    int hit(String key) throws TimeoutException {
        return writer.submit(new Hit(key, OffsetDateTime.now().truncatedTo(ChronoUnit.MINUTES)), 30);
    }

    private List<Integer> count(List<Hit> hits) {
        // Sorted keys: two instances' upserts lock rows in the same order and cannot deadlock.
        TreeMap<Hit, Integer> perKey = new TreeMap<>(BY_KEY);
        for (Hit h : hits) perKey.merge(h, 1, Integer::sum);
        Map<String, Integer> totals = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            // A lost count after a crash is harmless, so this write does not wait for the WAL flush:
            // the signature's own transaction is the one that must be durable.
            tx.setLocal(DSL.name("synchronous_commit"), DSL.inline("off")).execute();
            var insert = tx.insertInto(FORM_RATE_LIMITS);
            org.jooq.InsertSetMoreStep<?> rows = null;
            for (var e : perKey.entrySet()) {
                rows = (rows == null ? insert : rows.newRecord())
                        .set(FORM_RATE_LIMITS.KEY, e.getKey().key())
                        .set(FORM_RATE_LIMITS.WINDOW_START, e.getKey().window())
                        .set(FORM_RATE_LIMITS.HITS, e.getValue());
            }
            Map<String, Integer> m = new LinkedHashMap<>();
            rows.onConflict(FORM_RATE_LIMITS.KEY, FORM_RATE_LIMITS.WINDOW_START).doUpdate()
                    .set(FORM_RATE_LIMITS.HITS, FORM_RATE_LIMITS.HITS.plus(DSL.excluded(FORM_RATE_LIMITS.HITS)))
                    .returningResult(FORM_RATE_LIMITS.KEY, FORM_RATE_LIMITS.WINDOW_START, FORM_RATE_LIMITS.HITS)
                    .forEach(r -> m.put(r.value1() + "@" + r.value2().toInstant(), r.value3()));
            return m;
        });
        // This batch's hits were the last ones added to each total: number them in arrival order.
        Map<Hit, Integer> next = new TreeMap<>(BY_KEY);
        for (var e : perKey.entrySet()) {
            next.put(e.getKey(), totals.get(e.getKey().key() + "@" + e.getKey().window().toInstant()) - e.getValue());
        }
        List<Integer> out = new ArrayList<>(hits.size());
        for (Hit h : hits) out.add(next.merge(h, 1, Integer::sum));
        cleanupNowAndThen();
        return out;
    }

    /** Old windows are useless: the writer drops them about once a minute. */
    private void cleanupNowAndThen() {
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
