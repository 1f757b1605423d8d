package org.convoca.petition;

import static org.convoca.db.schema.Tables.FORM_RATE_LIMITS;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convoca.db.ArrayRows;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The form posts of one signature batch, counted against their addresses' per-minute limits
 * inside the batch's own transaction. The count is the first statement of the batch's first round
 * trip, and the people and signature inserts that follow it in the same round trip leave out every
 * post over its limit by reading the total the count has just written ({@link #within}). Counted
 * apart, in a transaction of its own before the batch, the count was a round trip and a commit of
 * the chain every signer of the batch waits on: 1.4–2.2 of a batch's 12 ms on the benchmark
 * (2026-12-01). The price: an address's count row stays locked until the batch commits, so
 * another instance's batch with a post from the same address waits for this one.
 *
 * <p>A post is counted once: if the batch's transaction rolls back, so does its count, and the
 * retry counts it again.
 */
final class FormPosts {
    /** Where one counted post's hit is, and the highest total its address may reach for it to pass. */
    private record Slot(RateCounter.Hit hit, int ceiling) {
    }

    private final RateCounter.Tally tally;
    private final int perMinute;
    private final List<SignatureBatch.Item> counted;
    private final Map<SignatureBatch.Item, Slot> slots = new IdentityHashMap<>();

    /** {@code keys}: per item, the key its post is counted under, or null when it is not counted (the API). */
    FormPosts(int perMinute, List<SignatureBatch.Item> items, List<String> keys) {
        this.perMinute = perMinute;
        this.counted = new ArrayList<>();
        List<String> countedKeys = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (keys.get(i) == null) continue;
            counted.add(items.get(i));
            countedKeys.add(keys.get(i));
        }
        this.tally = RateCounter.tally(countedKeys);
        List<Integer> ceilings = tally.ceilings(perMinute);
        for (int i = 0; i < counted.size(); i++) slots.put(counted.get(i), new Slot(tally.hits().get(i), ceilings.get(i)));
    }

    /** Nothing counted: every item passes. */
    static FormPosts none() {
        return new FormPosts(0, List.of(), List.of());
    }

    /** The upsert that counts the posts and returns their addresses' totals; null when none is counted. */
    RoundTrip.Shaped count(DSLContext tx) {
        return tally.isEmpty() ? null : tally.upsert(tx);
    }

    /** From the count's answer: the items over their address's limit (to be written not at all). */
    Set<SignatureBatch.Item> over(Result<Record> totals) {
        Set<SignatureBatch.Item> over = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Integer> numbers = tally.numbers(totals);
        for (int i = 0; i < counted.size(); i++) if (numbers.get(i) > perMinute) over.add(counted.get(i));
        return over;
    }

    /**
     * For a statement over {@code v}, whose rows are {@code rows} in order: true for a row whose
     * post is not counted, or whose address's total, as this transaction's count left it, is within
     * the post's ceiling. Three more columns on {@code v}.
     */
    Condition within(ArrayRows v, List<SignatureBatch.Item> rows) {
        List<String> keys = new ArrayList<>(rows.size());
        List<OffsetDateTime> windows = new ArrayList<>(rows.size());
        List<Integer> ceilings = new ArrayList<>(rows.size());
        for (SignatureBatch.Item it : rows) {
            Slot s = slots.get(it);
            keys.add(s == null ? null : s.hit().key());
            windows.add(s == null ? null : s.hit().window());
            ceilings.add(s == null ? null : s.ceiling());
        }
        var key = v.column("rate_key", FORM_RATE_LIMITS.KEY.getDataType(), keys);
        var window = v.column("rate_window", FORM_RATE_LIMITS.WINDOW_START.getDataType(), windows);
        var ceiling = v.column("rate_ceiling", SQLDataType.INTEGER, ceilings);
        return key.isNull().or(DSL.exists(DSL.selectOne().from(FORM_RATE_LIMITS)
                .where(FORM_RATE_LIMITS.KEY.eq(key))
                .and(FORM_RATE_LIMITS.WINDOW_START.eq(window))
                .and(FORM_RATE_LIMITS.HITS.le(ceiling))));
    }
}
