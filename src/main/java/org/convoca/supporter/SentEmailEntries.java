package org.convoca.supporter;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The "was sent an email" entries of a person's timeline, read from the deliveries themselves.
 * A blast writes no timeline row per email: that was a second row, with its indexes, for each of a
 * hundred thousand emails (a fifth of the database's work in a blast), for a fact the delivery row
 * already holds: who, which message, when. Blasts before this change did store one; those rows are
 * shown as stored, never twice. Deliveries move with a merge like every row that names a person.
 */
final class SentEmailEntries {
    static final String KIND = "email.sent";

    private SentEmailEntries() {
    }

    /** The person's sent emails that have no stored timeline row, newest first, at most {@code limit}. */
    static List<Activity> of(DSLContext dsl, long personId, int limit) {
        var d = MESSAGE_DELIVERIES;
        return dsl.select(d.MESSAGE_ID, d.SENT_AT).from(d)
                .where(d.PERSON_ID.eq(personId), d.STATUS.eq("sent"), d.SENT_AT.isNotNull())
                .andNotExists(DSL.selectOne().from(ACTIVITIES).where(ACTIVITIES.PERSON_ID.eq(personId),
                        ACTIVITIES.KIND.eq(KIND), ACTIVITIES.SUBJECT_ID.eq(d.MESSAGE_ID)))
                .orderBy(d.SENT_AT.desc(), d.ID.desc())
                .limit(limit)
                .fetch(r -> new Activity(0, KIND, r.value1(), Map.of(), r.value2()));
    }

    /** Stored entries and sent emails together, newest first, at most {@code limit}. */
    static List<Activity> with(DSLContext dsl, long personId, List<Activity> stored, int limit) {
        List<Activity> sent = of(dsl, personId, limit);
        if (sent.isEmpty()) return stored;
        List<Activity> all = new ArrayList<>(stored);
        all.addAll(sent);
        all.sort(Comparator.comparing(Activity::occurredAt).reversed());
        return all.size() > limit ? all.subList(0, limit) : all;
    }
}
