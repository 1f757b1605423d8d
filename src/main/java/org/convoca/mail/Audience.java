package org.convoca.mail;

import static org.convoca.db.schema.Tables.LIST_MEMBERS;
import static org.convoca.db.schema.Tables.MESSAGES;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;
import static org.convoca.db.schema.Tables.TAGS;

import java.time.OffsetDateTime;
import java.util.List;
import org.convoca.supporter.Audiences;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Who a message goes to: anyone matching any target, minus anyone matching any exclusion, and
 * only people who are subscribed now. Compiled to one jOOQ condition over {@code people}, so the
 * count shown before sending and the expansion into deliveries are the same query.
 */
public final class Audience {
    private final Audiences audiences;
    private final int chunk;

    public Audience(DSLContext dsl) {
        this(dsl, EXPAND_CHUNK);
    }

    /** @param chunk people ids per expansion statement (tests use small ones) */
    Audience(DSLContext dsl, int chunk) {
        this.audiences = new Audiences(dsl);
        this.chunk = chunk;
    }

    /** Subscribed people matching the targets and none of the exclusions. */
    public Condition condition(List<Target> targets, List<Target> exclusions) {
        Condition any = DSL.or(targets.stream().map(this::matches).toList());
        if (targets.isEmpty()) any = DSL.falseCondition();
        Condition excluded = DSL.or(exclusions.stream().map(this::matches).toList());
        if (exclusions.isEmpty()) excluded = DSL.falseCondition();
        return mailable().and(any).andNot(excluded);
    }

    /** Never unsubscribed, bouncing or complaining people, never erased ones. */
    public static Condition mailable() {
        return PEOPLE.EMAIL_STATUS.eq("subscribed").and(PEOPLE.ERASED_AT.isNull());
    }

    /** Whether every segment a message names exists (checked when it is saved). */
    public boolean segmentsExist(List<Target> targets) {
        return targets.stream().filter(t -> t.kind() == Target.Kind.SEGMENT)
                .allMatch(t -> audiences.segment(t.id()).isPresent());
    }

    private Condition matches(Target t) {
        return switch (t.kind()) {
            case LIST -> DSL.exists(DSL.selectOne().from(LIST_MEMBERS)
                    .where(LIST_MEMBERS.PERSON_ID.eq(PEOPLE.ID)).and(LIST_MEMBERS.LIST_ID.eq(t.id())));
            case TAG -> DSL.exists(DSL.selectOne().from(PERSON_TAGS).join(TAGS).on(TAGS.ID.eq(PERSON_TAGS.TAG_ID))
                    .where(PERSON_TAGS.PERSON_ID.eq(PEOPLE.ID))
                    .and(DSL.lower(DSL.trim(TAGS.NAME)).eq(t.value().strip().toLowerCase())));
            // A segment is the supporter list's typed filter, compiled as it stands when sending starts.
            case SEGMENT -> audiences.segment(t.id()).orElse(DSL.falseCondition());
        };
    }

    public int count(DSLContext dsl, Message m) {
        return dsl.fetchCount(PEOPLE, condition(m.targets(), m.exclusions()));
    }

    /** People ids per expansion statement: a few hundred milliseconds of database work each. */
    static final int EXPAND_CHUNK = 10_000;
    /** Longest rest between two chunks while people sign. */
    private static final long EXPAND_REST_MAX_NANOS = 200_000_000L;
    private volatile org.convoca.ops.ForegroundWork foreground;

    /**
     * While people sign on this instance, the expansion rests between chunks {@link
     * BlastSender#YIELD_FACTOR} times as long as the last chunk took (at most 0.2 s).
     */
    public Audience yieldTo(org.convoca.ops.ForegroundWork foreground) {
        this.foreground = foreground;
        return this;
    }

    /** An expansion without a chunk committed for this long was cut off (a crash) and is taken up again. */
    static final java.time.Duration STALE = java.time.Duration.ofSeconds(30);

    /**
     * Marks a message, in the transaction that starts it, as to be queued for everybody up to the
     * highest people id now; {@link #expandAll} then queues it chunk by chunk.
     */
    public void begin(DSLContext tx, long messageId) {
        var bounds = tx.select(DSL.min(PEOPLE.ID), DSL.max(PEOPLE.ID)).from(PEOPLE).fetchSingle();
        tx.update(MESSAGES).set(MESSAGES.TOTAL, 0)
                .set(MESSAGES.EXPANDED_THROUGH, bounds.value1() == null ? null : bounds.value1() - 1)
                .set(MESSAGES.EXPAND_UNTIL, bounds.value2())
                .set(MESSAGES.EXPANDED_AT, OffsetDateTime.now())
                .set(MESSAGES.STARTED_AT, DSL.coalesce(MESSAGES.STARTED_AT, DSL.val(OffsetDateTime.now())))
                .where(MESSAGES.ID.eq(messageId)).execute();
    }

    /**
     * Queues what is left of a started message, one committed chunk of people ids at a time, so
     * blast workers send the first chunks while later ones are queued. {@code queued} runs after
     * the first chunk (wakes the workers). Between chunks, while people sign on this instance, it
     * rests {@link BlastSender#YIELD_FACTOR} times as long as the chunk took (at most 0.2 s).
     */
    public void expandAll(DSLContext dsl, long messageId, Runnable queued) {
        boolean more = true;
        boolean first = true;
        while (more) {
            long started = System.nanoTime();
            more = dsl.transactionResult(cfg -> expandNext(cfg.dsl(), messageId));
            if (first) queued.run();
            first = false;
            var f = foreground;
            if (more && f != null && f.active()) {
                java.util.concurrent.locks.LockSupport.parkNanos(
                        Math.min((System.nanoTime() - started) * BlastSender.YIELD_FACTOR, EXPAND_REST_MAX_NANOS));
            }
        }
    }

    /** Takes up expansions cut off by a crash (no chunk for {@link #STALE}); returns how many. */
    public int resumeStale(DSLContext dsl, Runnable queued) {
        List<Long> stale = dsl.select(MESSAGES.ID).from(MESSAGES)
                .where(MESSAGES.EXPAND_UNTIL.isNotNull())
                .and(MESSAGES.EXPANDED_AT.lt(OffsetDateTime.now().minus(STALE)))
                .fetch(MESSAGES.ID);
        for (long id : stale) expandAll(dsl, id, queued);
        return stale.size();
    }

    /**
     * One chunk: INSERT … SELECT over the next range of people ids, committed with the new high
     * mark under the message's row lock (two instances never queue the same range at once; ON
     * CONFLICT would keep even that from giving anyone a second row). One statement over 100,000
     * people held the database's CPU for 2-3 s while people were signing petitions; in chunks,
     * the expansion can step back between them. False when nothing is left, or the message was
     * cancelled meanwhile.
     */
    boolean expandNext(DSLContext tx, long messageId) {
        var row = tx.selectFrom(MESSAGES).where(MESSAGES.ID.eq(messageId)).forUpdate().fetchOne();
        if (row == null || row.getExpandUntil() == null) return false;
        long until = row.getExpandUntil();
        boolean cancelled = MessageStatus.of(row.getStatus()) == MessageStatus.CANCELLED;
        long lo = row.getExpandedThrough();
        long hi = Math.min(lo + chunk, until);
        int queued = 0;
        if (!cancelled) {
            Message m = MessageRepository.toMessage(row);
            Condition who = condition(m.targets(), m.exclusions());
            queued = tx.insertInto(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID, MESSAGE_DELIVERIES.PERSON_ID)
                    .select(DSL.select(DSL.val(messageId), PEOPLE.ID).from(PEOPLE)
                            .where(PEOPLE.ID.gt(lo)).and(PEOPLE.ID.le(hi)).and(who))
                    .onConflictDoNothing()
                    .execute();
        }
        boolean done = cancelled || hi >= until;
        tx.update(MESSAGES).set(MESSAGES.TOTAL, MESSAGES.TOTAL.plus(queued))
                .set(MESSAGES.EXPANDED_THROUGH, done ? null : hi)
                .set(MESSAGES.EXPAND_UNTIL, done ? null : until)
                .set(MESSAGES.EXPANDED_AT, done ? null : OffsetDateTime.now())
                .where(MESSAGES.ID.eq(messageId)).execute();
        return !done;
    }
}
