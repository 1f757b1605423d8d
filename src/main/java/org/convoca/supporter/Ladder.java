package org.convoca.supporter;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.USERS;

import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * The leadership ladder, computed from what a person did, highest rung first: a leader (a staff
 * leader account with their email), recruited others, attended three or more events, attended
 * once, signed a petition or sent a letter, or none yet. {@link #level} is a jOOQ expression so reports and
 * segments can group or filter by it without loading people.
 */
public enum Ladder {
    NONE, SIGNED, ATTENDED_ONCE, ATTENDED_3, RECRUITER, LEADER;

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Ladder> parse(String v) {
        for (Ladder l : values()) if (l.value().equals(v)) return Optional.of(l);
        return Optional.empty();
    }

    /** The rung of the person in {@code PEOPLE} (correlated subqueries over indexed columns). */
    public static Field<String> level() {
        var p = PEOPLE.as("ladder_recruit");
        Field<Integer> attended = DSL.selectCount().from(ATTENDANCES)
                .where(ATTENDANCES.PERSON_ID.eq(PEOPLE.ID), ATTENDANCES.ATTENDED.isTrue()).asField();
        Condition leader = DSL.exists(DSL.selectOne().from(USERS)
                .where(USERS.EMAIL_NORMALIZED.eq(PEOPLE.EMAIL_NORMALIZED), USERS.ROLE.eq("leader")));
        Condition recruited = DSL.exists(DSL.selectOne().from(p).where(p.RECRUITED_BY.eq(PEOPLE.ID)));
        // Signing a petition and writing to a decision maker both put someone on the first rung.
        Condition signed = DSL.exists(DSL.selectOne().from(ACTIVITIES)
                .where(ACTIVITIES.PERSON_ID.eq(PEOPLE.ID), ACTIVITIES.KIND.in("petition.signed", "letter.sent")));
        return DSL.when(leader, DSL.inline(LEADER.value()))
                .when(recruited, DSL.inline(RECRUITER.value()))
                .when(attended.ge(3), DSL.inline(ATTENDED_3.value()))
                .when(attended.ge(1), DSL.inline(ATTENDED_ONCE.value()))
                .when(signed, DSL.inline(SIGNED.value()))
                .otherwise(DSL.inline(NONE.value()));
    }

    /** For segments: people on this rung or higher. */
    public Condition atLeast() {
        Field<String> level = level();
        Condition c = DSL.falseCondition();
        for (Ladder l : values()) if (l.ordinal() >= ordinal()) c = c.or(level.eq(l.value()));
        return c;
    }
}
