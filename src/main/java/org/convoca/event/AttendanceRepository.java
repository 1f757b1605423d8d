package org.convoca.event;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.EVENTS;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convoca.supporter.Activities;
import org.convoca.supporter.PersonInput;
import org.convoca.supporter.PersonRepository;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * Pledges, check-ins and walk-ins. Every "once" rule leans on UNIQUE(event_id, person_id) and on
 * conditional UPDATEs ({@code where attended = false}), so several phones checking people in at the
 * same door never count anyone twice.
 */
public final class AttendanceRepository {
    /** What a pledge became. */
    public record Pledged(long attendanceId, long personId, AttendanceStatus status) {
    }

    private final DSLContext dsl;

    public AttendanceRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Creates or updates the person and their pledge; a full event puts them on the waitlist. */
    public Pledged pledge(Event event, PledgeForm form, String phoneE164, PersonRepository.Origin origin, AttendanceStatus wanted) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            // Pledges to one event queue behind this row lock, so two last seats are never both taken.
            tx.select(EVENTS.ID).from(EVENTS).where(EVENTS.ID.eq(event.id())).forUpdate().fetch();
            PersonInput in = form.person();
            long personId = PersonRepository.upsert(tx, in, phoneE164, origin).personId();
            Long referrer = PersonRepository.referrerId(tx, in.ref());
            if (referrer != null && referrer == personId) referrer = null;
            AttendanceStatus status = wanted;
            if (wanted == AttendanceStatus.ACCEPTED && !fits(tx, event, personId, 1 + form.guestsValue())) {
                status = AttendanceStatus.WAITLISTED;
            }
            long id = tx.insertInto(ATTENDANCES)
                    .set(ATTENDANCES.EVENT_ID, event.id())
                    .set(ATTENDANCES.PERSON_ID, personId)
                    .set(ATTENDANCES.STATUS, status.value())
                    .set(ATTENDANCES.GUESTS, form.guestsValue())
                    .set(ATTENDANCES.CHILDCARE_CHILDREN, form.childrenValue())
                    .set(ATTENDANCES.INTERPRETATION_LANGUAGE, form.interpretationLanguage().strip())
                    .set(ATTENDANCES.TRANSPORT, form.transport())
                    .set(ATTENDANCES.FOOD, form.food())
                    .set(ATTENDANCES.ACCESS_NEEDS, form.accessNeeds().strip())
                    .set(ATTENDANCES.REFERRER_ID, referrer)
                    .onConflict(ATTENDANCES.EVENT_ID, ATTENDANCES.PERSON_ID).doUpdate()
                    .set(ATTENDANCES.STATUS, DSL.excluded(ATTENDANCES.STATUS))
                    .set(ATTENDANCES.GUESTS, DSL.excluded(ATTENDANCES.GUESTS))
                    .set(ATTENDANCES.CHILDCARE_CHILDREN, DSL.excluded(ATTENDANCES.CHILDCARE_CHILDREN))
                    .set(ATTENDANCES.INTERPRETATION_LANGUAGE, DSL.excluded(ATTENDANCES.INTERPRETATION_LANGUAGE))
                    .set(ATTENDANCES.TRANSPORT, DSL.excluded(ATTENDANCES.TRANSPORT))
                    .set(ATTENDANCES.FOOD, DSL.excluded(ATTENDANCES.FOOD))
                    .set(ATTENDANCES.ACCESS_NEEDS, DSL.excluded(ATTENDANCES.ACCESS_NEEDS))
                    // The first referrer keeps the credit, as for people.
                    .set(ATTENDANCES.REFERRER_ID, DSL.coalesce(ATTENDANCES.REFERRER_ID, DSL.excluded(ATTENDANCES.REFERRER_ID)))
                    .set(ATTENDANCES.UPDATED_AT, DSL.currentOffsetDateTime())
                    .returningResult(ATTENDANCES.ID)
                    .fetchSingle().value1();
            Activities.record(tx, personId, "event.pledged", event.id(),
                    Map.of("title", event.confidential() ? "" : event.title(), "status", status.value()));
            if (status == AttendanceStatus.ACCEPTED) Reminders.schedule(tx, id, event);
            return new Pledged(id, personId, status);
        });
    }

    /** Whether {@code seats} more fit, not counting this person's current pledge. */
    private static boolean fits(DSLContext tx, Event event, long personId, int seats) {
        if (event.capacity() == null) return true;
        Integer used = tx.select(DSL.coalesce(DSL.sum(ATTENDANCES.GUESTS.plus(1)), DSL.inline(java.math.BigDecimal.ZERO)))
                .from(ATTENDANCES)
                .where(ATTENDANCES.EVENT_ID.eq(event.id()), ATTENDANCES.STATUS.eq("accepted"),
                        ATTENDANCES.PERSON_ID.ne(personId))
                .fetchSingle().value1().intValue();
        return used + seats <= event.capacity();
    }

    /** "I can't come any more": cancels, and gives freed seats to the waitlist in order. */
    public boolean cancel(long attendanceId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            var row = tx.update(ATTENDANCES).set(ATTENDANCES.STATUS, "cancelled")
                    .set(ATTENDANCES.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(ATTENDANCES.ID.eq(attendanceId), ATTENDANCES.STATUS.ne("cancelled"))
                    .returningResult(ATTENDANCES.EVENT_ID, ATTENDANCES.PERSON_ID).fetchOne();
            if (row == null) return false;
            Event event = EventRepository.toEvent(tx.selectFrom(EVENTS).where(EVENTS.ID.eq(row.value1())).forUpdate().fetchSingle());
            Activities.record(tx, row.value2(), "event.cancelled", event.id(), Map.of());
            Reminders.skip(tx, attendanceId);
            promoteWaitlist(tx, event);
            return true;
        });
    }

    private static void promoteWaitlist(DSLContext tx, Event event) {
        var waiting = tx.select(ATTENDANCES.ID, ATTENDANCES.PERSON_ID, ATTENDANCES.GUESTS).from(ATTENDANCES)
                .where(ATTENDANCES.EVENT_ID.eq(event.id()), ATTENDANCES.STATUS.eq("waitlisted"))
                .orderBy(ATTENDANCES.CREATED_AT, ATTENDANCES.ID).fetch();
        for (var w : waiting) {
            if (!fits(tx, event, w.value2(), 1 + w.value3())) continue;
            tx.update(ATTENDANCES).set(ATTENDANCES.STATUS, "accepted").set(ATTENDANCES.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(ATTENDANCES.ID.eq(w.value1())).execute();
            Reminders.schedule(tx, w.value1(), event);
        }
    }

    /** Marks present once: a second tap (or a second phone) changes nothing. True when this call did it. */
    public boolean checkIn(long eventId, long attendanceId, long staffUserId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            var row = tx.update(ATTENDANCES)
                    .set(ATTENDANCES.ATTENDED, true)
                    .set(ATTENDANCES.CHECKED_IN_BY, staffUserId)
                    .set(ATTENDANCES.CHECKED_IN_AT, DSL.currentOffsetDateTime())
                    .set(ATTENDANCES.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(ATTENDANCES.ID.eq(attendanceId), ATTENDANCES.EVENT_ID.eq(eventId), ATTENDANCES.ATTENDED.isFalse())
                    .returningResult(ATTENDANCES.PERSON_ID).fetchOne();
            if (row == null) return false;
            Activities.record(tx, row.value1(), "event.attended", eventId, Map.of());
            return true;
        });
    }

    /** Takes back a check-in made by mistake; a walk-in added by mistake disappears. */
    public boolean undo(long eventId, long attendanceId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            var row = tx.update(ATTENDANCES)
                    .set(ATTENDANCES.ATTENDED, false)
                    .setNull(ATTENDANCES.CHECKED_IN_BY)
                    .setNull(ATTENDANCES.CHECKED_IN_AT)
                    .set(ATTENDANCES.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(ATTENDANCES.ID.eq(attendanceId), ATTENDANCES.EVENT_ID.eq(eventId), ATTENDANCES.ATTENDED.isTrue())
                    .returningResult(ATTENDANCES.PERSON_ID, ATTENDANCES.WALK_IN).fetchOne();
            if (row == null) return false;
            tx.deleteFrom(ACTIVITIES).where(ACTIVITIES.PERSON_ID.eq(row.value1()), ACTIVITIES.KIND.eq("event.attended"),
                    ACTIVITIES.SUBJECT_ID.eq(eventId)).execute();
            if (row.value2()) tx.deleteFrom(ATTENDANCES).where(ATTENDANCES.ID.eq(attendanceId)).execute();
            return true;
        });
    }

    /**
     * Someone at the door without a pledge: they become a person (recruited through {@code ref}) and
     * an attendance that is already present. If they had pledged after all, their pledge is checked in.
     * {@code staffUserId} is null when people check themselves in with the event's QR code.
     */
    public Optional<Long> walkIn(long eventId, PersonInput in, String phoneE164, PersonRepository.Origin origin, Long staffUserId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            long personId = PersonRepository.upsert(tx, in, phoneE164, origin).personId();
            Long referrer = PersonRepository.referrerId(tx, in.ref());
            if (referrer != null && referrer == personId) referrer = null;
            var row = tx.insertInto(ATTENDANCES)
                    .set(ATTENDANCES.EVENT_ID, eventId)
                    .set(ATTENDANCES.PERSON_ID, personId)
                    .set(ATTENDANCES.STATUS, "accepted")
                    .set(ATTENDANCES.WALK_IN, true)
                    .set(ATTENDANCES.ATTENDED, true)
                    .set(ATTENDANCES.REFERRER_ID, referrer)
                    .set(ATTENDANCES.CHECKED_IN_BY, staffUserId)
                    .set(ATTENDANCES.CHECKED_IN_AT, DSL.currentOffsetDateTime())
                    .onConflict(ATTENDANCES.EVENT_ID, ATTENDANCES.PERSON_ID).doUpdate()
                    .set(ATTENDANCES.ATTENDED, true)
                    .set(ATTENDANCES.CHECKED_IN_BY, staffUserId)
                    .set(ATTENDANCES.CHECKED_IN_AT, DSL.currentOffsetDateTime())
                    .set(ATTENDANCES.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(ATTENDANCES.ATTENDED.isFalse())
                    .returningResult(ATTENDANCES.ID).fetchOne();
            if (row == null) {
                // Already present: answer with the existing attendance, count nothing.
                return tx.select(ATTENDANCES.ID).from(ATTENDANCES)
                        .where(ATTENDANCES.EVENT_ID.eq(eventId), ATTENDANCES.PERSON_ID.eq(personId)).fetchOptional(ATTENDANCES.ID);
            }
            Activities.record(tx, personId, "event.attended", eventId, Map.of("walk_in", true));
            return Optional.of(row.value1());
        });
    }

    public Optional<Attendee> find(long eventId, long attendanceId) {
        return select().where(ATTENDANCES.EVENT_ID.eq(eventId), ATTENDANCES.ID.eq(attendanceId))
                .fetchOptional(AttendanceRepository::toAttendee);
    }

    /** The roster, optionally searched by name, email or phone digits; cancelled pledges left out. */
    public List<Attendee> roster(long eventId, String query, int limit) {
        Condition c = ATTENDANCES.EVENT_ID.eq(eventId).and(ATTENDANCES.STATUS.ne("cancelled").or(ATTENDANCES.ATTENDED));
        if (query != null && !query.isBlank()) c = c.and(matches(query.strip()));
        return select().where(c).orderBy(PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME, ATTENDANCES.ID).limit(limit)
                .fetch(AttendanceRepository::toAttendee);
    }

    private static Condition matches(String q) {
        String like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        Condition c = DSL.concat(PEOPLE.GIVEN_NAME, DSL.inline(" "), PEOPLE.FAMILY_NAME).likeIgnoreCase(like)
                .or(PEOPLE.EMAIL.likeIgnoreCase(like));
        String digits = q.replaceAll("\\D", "");
        if (digits.length() >= 3) c = c.or(PEOPLE.PHONE.contains(digits));
        return c;
    }

    private static final org.convoca.db.schema.tables.People REFERRER = PEOPLE.as("referrer");

    private org.jooq.SelectJoinStep<Record> select() {
        return dsl.select(ATTENDANCES.fields()).select(PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME, PEOPLE.EMAIL, PEOPLE.PHONE,
                        REFERRER.REFERRAL_CODE)
                .from(ATTENDANCES.join(PEOPLE).on(PEOPLE.ID.eq(ATTENDANCES.PERSON_ID))
                        .leftJoin(REFERRER).on(REFERRER.ID.eq(ATTENDANCES.REFERRER_ID)));
    }

    static Attendee toAttendee(Record r) {
        return new Attendee(r.get(ATTENDANCES.ID), r.get(ATTENDANCES.PERSON_ID), r.get(PEOPLE.GIVEN_NAME),
                r.get(PEOPLE.FAMILY_NAME), r.get(PEOPLE.EMAIL), r.get(PEOPLE.PHONE), r.get(ATTENDANCES.STATUS),
                r.get(ATTENDANCES.GUESTS), r.get(ATTENDANCES.CHILDCARE_CHILDREN), r.get(ATTENDANCES.INTERPRETATION_LANGUAGE),
                r.get(ATTENDANCES.TRANSPORT), r.get(ATTENDANCES.FOOD), r.get(ATTENDANCES.ACCESS_NEEDS),
                r.get(ATTENDANCES.REFERRER_ID), r.get(ATTENDANCES.ATTENDED), r.get(ATTENDANCES.WALK_IN),
                r.get(ATTENDANCES.CREATED_AT), r.get(ATTENDANCES.UPDATED_AT), r.get(REFERRER.REFERRAL_CODE));
    }
}
