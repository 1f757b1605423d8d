package org.convoca.event;

import org.convoca.supporter.Ladder;
import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.CAMPAIGNS;
import static org.convoca.db.schema.Tables.EVENTS;
import static org.convoca.db.schema.Tables.LEADER_GOALS;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PETITIONS;
import static org.convoca.db.schema.Tables.USERS;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** The numbers behind the turnout reports; definitions as in {@link Turnout}. */
public final class TurnoutReports {
    public record EventRow(Event event, Turnout.Numbers numbers) {
    }

    public record LeaderRow(long userId, String name, String email, Turnout.Numbers numbers) {
    }

    /** People, not rows: distinct signers, pledgers and attendees of a campaign. */
    public record Funnel(long campaignId, String title, int signed, int pledged, int attended) {
    }

    public record Regular(long personId, String name, int attended, int sessions) {
        public boolean completed() {
            return sessions > 0 && attended >= sessions;
        }
    }

    private final DSLContext dsl;
    private final Turnout turnout;

    public TurnoutReports(DSLContext dsl, Turnout turnout) {
        this.dsl = dsl;
        this.turnout = turnout;
    }

    /** The most recent events with their turnout, newest first. */
    public List<EventRow> events(int limit) {
        List<Field<Integer>> f = Turnout.countFields();
        return dsl.select(EVENTS.fields()).select(f)
                .from(EVENTS).leftJoin(ATTENDANCES).on(ATTENDANCES.EVENT_ID.eq(EVENTS.ID))
                .groupBy(EVENTS.ID)
                .orderBy(EVENTS.START_AT.desc(), EVENTS.ID.desc())
                .limit(limit)
                .fetch(r -> {
                    Event e = EventRepository.toEvent(r.into(EVENTS));
                    return new EventRow(e, Turnout.toNumbers(r, f, e.turnoutGoal()));
                });
    }

    /**
     * Per leader account: attendances of the people they recruited, or that came through their
     * code (a pledge's referrer, or a walk-in they checked in). Goal from leader_goals.
     */
    public List<LeaderRow> leaders() {
        var rows = dsl.select(USERS.ID, USERS.NAME, USERS.EMAIL, PEOPLE.ID, LEADER_GOALS.TURNOUT_GOAL)
                .from(USERS)
                .leftJoin(PEOPLE).on(PEOPLE.EMAIL_NORMALIZED.eq(USERS.EMAIL_NORMALIZED))
                .leftJoin(LEADER_GOALS).on(LEADER_GOALS.USER_ID.eq(USERS.ID))
                .where(USERS.ROLE.eq("leader"))
                .orderBy(USERS.NAME, USERS.EMAIL)
                .fetch();
        List<LeaderRow> out = new ArrayList<>();
        for (var r : rows) {
            Long person = r.value4();
            Turnout.Numbers n = person == null
                    ? new Turnout.Numbers(0, 0, 0, 0, 0, r.value5())
                    : turnout.numbers(ATTENDANCES.REFERRER_ID.eq(person).or(ATTENDANCES.PERSON_ID.in(
                            DSL.select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.RECRUITED_BY.eq(person)))), r.value5());
            out.add(new LeaderRow(r.value1(), r.value2().isBlank() ? r.value3() : r.value2(), r.value3(), n));
        }
        return out;
    }

    public void setLeaderGoal(long userId, int goal) {
        dsl.insertInto(LEADER_GOALS).set(LEADER_GOALS.USER_ID, userId).set(LEADER_GOALS.TURNOUT_GOAL, goal)
                .onConflict(LEADER_GOALS.USER_ID).doUpdate()
                .set(LEADER_GOALS.TURNOUT_GOAL, goal).set(LEADER_GOALS.UPDATED_AT, DSL.currentOffsetDateTime())
                .execute();
    }

    /**
     * signed → pledged → attended per campaign, in distinct people. Signed counts petition.signed
     * activities for the campaign's petitions.
     */
    public List<Funnel> funnels() {
        List<Funnel> out = new ArrayList<>();
        for (var c : dsl.select(CAMPAIGNS.ID, CAMPAIGNS.TITLE).from(CAMPAIGNS).orderBy(CAMPAIGNS.ID.desc()).limit(50).fetch()) {
            var ofCampaign = DSL.select(EVENTS.ID).from(EVENTS).where(EVENTS.CAMPAIGN_ID.eq(c.value1()));
            int pledged = dsl.fetchCount(DSL.selectDistinct(ATTENDANCES.PERSON_ID).from(ATTENDANCES)
                    .where(ATTENDANCES.EVENT_ID.in(ofCampaign), ATTENDANCES.WALK_IN.isFalse(), ATTENDANCES.STATUS.ne("cancelled")));
            int attended = dsl.fetchCount(DSL.selectDistinct(ATTENDANCES.PERSON_ID).from(ATTENDANCES)
                    .where(ATTENDANCES.EVENT_ID.in(ofCampaign), ATTENDANCES.ATTENDED.isTrue()));
            int signed = dsl.fetchCount(DSL.selectDistinct(ACTIVITIES.PERSON_ID).from(ACTIVITIES)
                    .where(ACTIVITIES.KIND.eq("petition.signed"),
                            ACTIVITIES.SUBJECT_ID.in(DSL.select(PETITIONS.ID).from(PETITIONS).where(PETITIONS.CAMPAIGN_ID.eq(c.value1())))));
            out.add(new Funnel(c.value1(), c.value2(), signed, pledged, attended));
        }
        return out;
    }

    /** Everyone who came to any session of a series, with how many of the started sessions they attended. */
    public List<Regular> regulars(long seriesId) {
        int sessions = dsl.fetchCount(EVENTS, EVENTS.SERIES_ID.eq(seriesId).and(Turnout.STARTED));
        Field<Integer> attended = DSL.count().filterWhere(ATTENDANCES.ATTENDED.isTrue());
        return dsl.select(PEOPLE.ID, PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME, PEOPLE.EMAIL, attended)
                .from(ATTENDANCES).join(EVENTS).on(EVENTS.ID.eq(ATTENDANCES.EVENT_ID))
                .join(PEOPLE).on(PEOPLE.ID.eq(ATTENDANCES.PERSON_ID))
                .where(EVENTS.SERIES_ID.eq(seriesId))
                .groupBy(PEOPLE.ID)
                .having(attended.gt(0))
                .orderBy(attended.desc(), PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME)
                .fetch(r -> {
                    String name = (r.value2() + " " + r.value3()).strip();
                    return new Regular(r.value1(), name.isEmpty() ? r.value4() : name, r.value5(), sessions);
                });
    }

    /** How many people stand on each rung of the ladder. */
    public Map<String, Integer> ladder() {
        Field<String> level = Ladder.level().as("level");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Ladder l : Ladder.values()) counts.put(l.value(), 0);
        dsl.select(level, DSL.count()).from(PEOPLE).where(PEOPLE.ERASED_AT.isNull()).groupBy(DSL.field(DSL.name("level")))
                .fetch().forEach(r -> counts.put(r.value1(), r.value2()));
        return counts;
    }

    /** Attendances per month over the last year, oldest first: "events attended over time". */
    public Map<String, Integer> attendedByMonth() {
        Field<Integer> year = DSL.extract(EVENTS.START_AT, org.jooq.DatePart.YEAR);
        Field<Integer> month = DSL.extract(EVENTS.START_AT, org.jooq.DatePart.MONTH);
        Map<String, Integer> out = new LinkedHashMap<>();
        dsl.select(year, month, DSL.count()).from(ATTENDANCES).join(EVENTS).on(EVENTS.ID.eq(ATTENDANCES.EVENT_ID))
                .where(ATTENDANCES.ATTENDED.isTrue(), EVENTS.START_AT.ge(DSL.currentOffsetDateTime().minus(365)))
                .groupBy(year, month).orderBy(year, month).fetch()
                .forEach(r -> out.put(String.format("%d-%02d", r.value1(), r.value2()), r.value3()));
        return out;
    }
}
