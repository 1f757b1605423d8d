package org.convoca.letter;

import static org.convoca.db.schema.Tables.LETTERS;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** Counts of letters sent: per action, per target, per day. Each letter row is one email that went out. */
public final class LetterStats {
    public record DayCount(LocalDate day, int letters) {
    }

    public record SchoolCount(String school, int letters) {
    }

    private final DSLContext dsl;

    public LetterStats(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Map<Long, Integer> lettersByTarget() {
        return dsl.select(LETTERS.TARGET_ID, DSL.count()).from(LETTERS).groupBy(LETTERS.TARGET_ID)
                .fetchMap(r -> r.value1(), r -> r.value2());
    }

    /** Letters of one action, per target id. */
    public Map<Long, Integer> lettersByTarget(long actionId) {
        return dsl.select(LETTERS.TARGET_ID, DSL.count()).from(LETTERS)
                .where(LETTERS.ADVOCACY_CAMPAIGN_ID.eq(actionId)).groupBy(LETTERS.TARGET_ID)
                .fetchMap(r -> r.value1(), r -> r.value2());
    }

    public Map<Long, Integer> lettersByAction() {
        return dsl.select(LETTERS.ADVOCACY_CAMPAIGN_ID, DSL.count()).from(LETTERS).groupBy(LETTERS.ADVOCACY_CAMPAIGN_ID)
                .fetchMap(r -> r.value1(), r -> r.value2());
    }

    /** Letters per calendar day of one action, newest first, for its last 60 active days. */
    public List<DayCount> byDay(long actionId) {
        Field<LocalDate> day = day();
        return dsl.select(day, DSL.count()).from(LETTERS)
                .where(LETTERS.ADVOCACY_CAMPAIGN_ID.eq(actionId))
                .groupBy(day).orderBy(day.desc()).limit(60)
                .fetch(r -> new DayCount(r.value1(), r.value2()));
    }

    /** What one target received for one action: total, by the writers' schools, first and last day. */
    public int lettersTo(long targetId, long actionId) {
        return dsl.fetchCount(LETTERS, LETTERS.TARGET_ID.eq(targetId).and(LETTERS.ADVOCACY_CAMPAIGN_ID.eq(actionId)));
    }

    public List<SchoolCount> schoolsTo(long targetId, long actionId) {
        return dsl.select(LETTERS.SCHOOL, DSL.count()).from(LETTERS)
                .where(LETTERS.TARGET_ID.eq(targetId).and(LETTERS.ADVOCACY_CAMPAIGN_ID.eq(actionId)))
                .groupBy(LETTERS.SCHOOL).orderBy(DSL.count().desc(), LETTERS.SCHOOL)
                .fetch(r -> new SchoolCount(r.value1(), r.value2()));
    }

    public OffsetDateTime[] span(long targetId, long actionId) {
        var r = dsl.select(DSL.min(LETTERS.SENT_AT), DSL.max(LETTERS.SENT_AT)).from(LETTERS)
                .where(LETTERS.TARGET_ID.eq(targetId).and(LETTERS.ADVOCACY_CAMPAIGN_ID.eq(actionId))).fetchOne();
        return new OffsetDateTime[] {r.value1(), r.value2()};
    }

    /** The calendar day of a letter, in the database session's time zone. */
    private static Field<LocalDate> day() {
        return LETTERS.SENT_AT.cast(SQLDataType.LOCALDATE);
    }
}
