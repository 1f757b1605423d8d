package org.convoca.event;

import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.EVENTS;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Turnout numbers. Definitions, used everywhere: <b>pledged</b> = accepted pledges (walk-ins are not
 * pledges); <b>attended</b> = marked present; <b>walk-ins</b> = present without a pledge;
 * <b>no-shows</b> = accepted pledges not present, counted only once the event has started;
 * <b>flake rate</b> = no-shows / pledged of started events.
 */
public final class Turnout {
    /** The numbers for one event, one leader, or one campaign. */
    public record Numbers(int pledged, int attended, int walkIns, int noShows, int pledgedStarted, Integer goal) {
        public int flakePercent() {
            return pledgedStarted == 0 ? 0 : Math.round(100f * noShows / pledgedStarted);
        }

        public int goalPercent() {
            return goal == null || goal == 0 ? 0 : Math.round(100f * attended / goal);
        }
    }

    public record ByReferrer(String referralCode, String name, int pledged, int attended) {
    }

    /** What the room needs: chairs (guests included), children for childcare, interpreters per language. */
    public record Headcounts(int families, int chairs, int children, Map<String, Integer> interpretation, int transport,
                             int food, List<String> accessNeeds, int waitlisted) {
    }

    static final Condition STARTED = EVENTS.START_AT.le(DSL.currentOffsetDateTime());
    static final Condition PLEDGE = ATTENDANCES.STATUS.eq("accepted").and(ATTENDANCES.WALK_IN.isFalse());

    /** pledged, attended, walk-ins, no-shows, pledged-of-started-events: the five counts behind {@link Numbers}. */
    static List<Field<Integer>> countFields() {
        return List.of(
                DSL.count().filterWhere(PLEDGE),
                DSL.count().filterWhere(ATTENDANCES.ATTENDED.isTrue()),
                DSL.count().filterWhere(ATTENDANCES.ATTENDED.isTrue().and(ATTENDANCES.WALK_IN.isTrue())),
                DSL.count().filterWhere(PLEDGE.and(ATTENDANCES.ATTENDED.isFalse()).and(STARTED)),
                DSL.count().filterWhere(PLEDGE.and(STARTED)));
    }

    static Numbers toNumbers(org.jooq.Record r, List<Field<Integer>> f, Integer goal) {
        return new Numbers(r.get(f.get(0)), r.get(f.get(1)), r.get(f.get(2)), r.get(f.get(3)), r.get(f.get(4)), goal);
    }

    private final DSLContext dsl;

    public Turnout(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Numbers forEvent(Event e) {
        return numbers(ATTENDANCES.EVENT_ID.eq(e.id()), e.turnoutGoal());
    }

    /** Over every attendance matching {@code where} (joined to its event). */
    public Numbers numbers(Condition where, Integer goal) {
        List<Field<Integer>> f = countFields();
        var r = dsl.select(f).from(ATTENDANCES).join(EVENTS).on(EVENTS.ID.eq(ATTENDANCES.EVENT_ID))
                .where(where).fetchSingle();
        return toNumbers(r, f, goal);
    }

    /** Per referral code: who brought whom (attendances without a referrer are left out). */
    public List<ByReferrer> byReferrer(long eventId) {
        return dsl.select(PEOPLE.REFERRAL_CODE, PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME,
                        DSL.count().filterWhere(PLEDGE), DSL.count().filterWhere(ATTENDANCES.ATTENDED.isTrue()))
                .from(ATTENDANCES).join(PEOPLE).on(PEOPLE.ID.eq(ATTENDANCES.REFERRER_ID))
                .where(ATTENDANCES.EVENT_ID.eq(eventId))
                .groupBy(PEOPLE.ID, PEOPLE.REFERRAL_CODE, PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME)
                .orderBy(DSL.count().filterWhere(ATTENDANCES.ATTENDED.isTrue()).desc(), PEOPLE.REFERRAL_CODE)
                .fetch(r -> new ByReferrer(r.value1(), (r.value2() + " " + r.value3()).strip(), r.value4(), r.value5()));
    }

    public Headcounts headcounts(long eventId) {
        Condition accepted = ATTENDANCES.EVENT_ID.eq(eventId).and(ATTENDANCES.STATUS.eq("accepted"));
        var r = dsl.select(DSL.count(), DSL.sum(ATTENDANCES.GUESTS.plus(1)), DSL.sum(ATTENDANCES.CHILDCARE_CHILDREN),
                        DSL.count().filterWhere(ATTENDANCES.TRANSPORT), DSL.count().filterWhere(ATTENDANCES.FOOD))
                .from(ATTENDANCES).where(accepted).fetchSingle();
        Map<String, Integer> interpretation = dsl.select(DSL.lower(DSL.trim(ATTENDANCES.INTERPRETATION_LANGUAGE)), DSL.count())
                .from(ATTENDANCES).where(accepted, ATTENDANCES.INTERPRETATION_LANGUAGE.ne(""))
                .groupBy(DSL.lower(DSL.trim(ATTENDANCES.INTERPRETATION_LANGUAGE)))
                .orderBy(DSL.count().desc())
                .fetchMap(x -> x.value1(), x -> x.value2());
        List<String> access = dsl.select(ATTENDANCES.ACCESS_NEEDS).from(ATTENDANCES)
                .where(accepted, ATTENDANCES.ACCESS_NEEDS.ne("")).orderBy(ATTENDANCES.ID).fetch(ATTENDANCES.ACCESS_NEEDS);
        int waitlisted = dsl.fetchCount(ATTENDANCES, ATTENDANCES.EVENT_ID.eq(eventId).and(ATTENDANCES.STATUS.eq("waitlisted")));
        return new Headcounts(r.value1(), intOf(r.value2()), intOf(r.value3()), new java.util.LinkedHashMap<>(interpretation),
                r.value4(), r.value5(), access, waitlisted);
    }

    /** Seats taken (accepted pledges with their guests), for "N seats left". */
    public int seatsTaken(long eventId) {
        return intOf(dsl.select(DSL.sum(ATTENDANCES.GUESTS.plus(1))).from(ATTENDANCES)
                .where(ATTENDANCES.EVENT_ID.eq(eventId), ATTENDANCES.STATUS.eq("accepted")).fetchSingle().value1());
    }

    static int intOf(Number n) {
        return n == null ? 0 : n.intValue();
    }
}
