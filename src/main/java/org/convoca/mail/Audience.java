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

    /**
     * Creates one queued delivery per recipient with INSERT … SELECT over ranges of people ids,
     * all in the caller's transaction (a message is either not started or fully queued); ON
     * CONFLICT keeps it idempotent (a repeated start never gives anyone a second row). One
     * statement over 100,000 people held the database's CPU for 2-3 s while people were signing
     * petitions; in chunks, the expansion can step back between them. Returns the total rows.
     */
    public int expand(DSLContext tx, Message m) {
        var bounds = tx.select(DSL.min(PEOPLE.ID), DSL.max(PEOPLE.ID)).from(PEOPLE).fetchSingle();
        Condition who = condition(m.targets(), m.exclusions());
        if (bounds.value1() != null) {
            for (long lo = bounds.value1() - 1; lo < bounds.value2(); lo += chunk) {
                long started = System.nanoTime();
                tx.insertInto(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID, MESSAGE_DELIVERIES.PERSON_ID)
                        .select(DSL.select(DSL.val(m.id()), PEOPLE.ID).from(PEOPLE)
                                .where(PEOPLE.ID.gt(lo)).and(PEOPLE.ID.le(lo + chunk)).and(who))
                        .onConflictDoNothing()
                        .execute();
                var f = foreground;
                if (f != null && f.active()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(
                            Math.min((System.nanoTime() - started) * BlastSender.YIELD_FACTOR, EXPAND_REST_MAX_NANOS));
                }
            }
        }
        int total = tx.fetchCount(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID.eq(m.id()));
        tx.update(MESSAGES).set(MESSAGES.TOTAL, total)
                .set(MESSAGES.STARTED_AT, DSL.coalesce(MESSAGES.STARTED_AT, DSL.val(OffsetDateTime.now())))
                .where(MESSAGES.ID.eq(m.id())).execute();
        return total;
    }
}
