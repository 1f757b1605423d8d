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

    public Audience(DSLContext dsl) {
        this.audiences = new Audiences(dsl);
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

    /**
     * Creates one queued delivery per recipient in one INSERT … SELECT; ON CONFLICT keeps it
     * idempotent (a repeated start never gives anyone a second row). Returns the total rows.
     */
    public int expand(DSLContext tx, Message m) {
        tx.insertInto(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID, MESSAGE_DELIVERIES.PERSON_ID)
                .select(DSL.select(DSL.val(m.id()), PEOPLE.ID).from(PEOPLE).where(condition(m.targets(), m.exclusions())))
                .onConflictDoNothing()
                .execute();
        int total = tx.fetchCount(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID.eq(m.id()));
        tx.update(MESSAGES).set(MESSAGES.TOTAL, total)
                .set(MESSAGES.STARTED_AT, DSL.coalesce(MESSAGES.STARTED_AT, DSL.val(OffsetDateTime.now())))
                .where(MESSAGES.ID.eq(m.id())).execute();
        return total;
    }
}
