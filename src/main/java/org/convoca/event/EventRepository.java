package org.convoca.event;

import static org.convoca.db.schema.Tables.EVENTS;
import static org.convoca.db.schema.Tables.USERS;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.convoca.auth.User;
import org.convoca.db.schema.tables.records.EventsRecord;
import org.convoca.web.Paged;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Events through jOOQ; recurring events are expanded into one row per occurrence on create. */
public final class EventRepository {
    /** A staff user who may host an event (for the host picker). */
    public record Host(long id, String label) {
    }

    private final DSLContext dsl;

    public EventRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    DSLContext dsl() {
        return dsl;
    }

    /** What a staff user may see: organizers everything, a leader the events they host. */
    public static Condition visibleTo(User user) {
        return user.organizer() ? DSL.trueCondition() : EVENTS.HOST_USER_ID.eq(user.id());
    }

    /**
     * Creates the event; with a recurrence, one row per occurrence (same local time, same length),
     * all sharing the first row's id as series_id. Returns the first occurrence.
     */
    public Event create(EventForm form, Long createdBy) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            ZonedDateTime start = form.startAt();
            Duration length = Duration.between(start, form.endAt());
            String rrule = form.rrule();
            List<ZonedDateTime> starts = rrule.isEmpty() ? List.of(start) : Recurrence.occurrences(rrule, start);
            if (starts.isEmpty()) starts = List.of(start);
            EventsRecord first = insert(tx, form, starts.get(0), length, null, rrule, createdBy);
            if (!rrule.isEmpty()) {
                first.setSeriesId(first.getId());
                first.store();
                for (ZonedDateTime s : starts.subList(1, starts.size())) {
                    insert(tx, form, s, length, first.getId(), "", createdBy);
                }
            }
            return toEvent(first);
        });
    }

    private static EventsRecord insert(DSLContext tx, EventForm f, ZonedDateTime start, Duration length, Long seriesId,
                                       String rrule, Long createdBy) {
        return tx.insertInto(EVENTS)
                .set(EVENTS.TITLE, f.title().strip())
                .set(EVENTS.TITLE_ES, f.titleEs().strip())
                .set(EVENTS.DESCRIPTION, f.description())
                .set(EVENTS.DESCRIPTION_ES, f.descriptionEs())
                .set(EVENTS.START_AT, start.toOffsetDateTime())
                // Length in local terms: a 2-hour meeting stays 2 hours even on a DST night.
                .set(EVENTS.END_AT, start.plus(length).toOffsetDateTime())
                .set(EVENTS.TIME_ZONE, f.zone().getId())
                .set(EVENTS.LOCATION, f.location().strip())
                .set(EVENTS.ONLINE_URL, f.onlineUrl().strip())
                .set(EVENTS.CAPACITY, f.capacityValue())
                .set(EVENTS.CAMPAIGN_ID, f.campaignValue())
                .set(EVENTS.HOST_USER_ID, f.hostValue())
                .set(EVENTS.TURNOUT_GOAL, f.goalValue())
                .set(EVENTS.CONFIDENTIAL, f.confidential())
                .set(EVENTS.RECURRENCE, rrule)
                .set(EVENTS.REMINDER_MINUTES, f.reminderMinutes().toArray(new Integer[0]))
                .set(EVENTS.SERIES_ID, seriesId)
                .set(EVENTS.KIND, f.kindValue())
                .set(EVENTS.CREATED_BY, createdBy)
                .returning()
                .fetchOne();
    }

    /** Updates one occurrence; pending reminders follow a moved start. */
    public Optional<Event> update(long id, EventForm f) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Optional<Event> updated = tx.update(EVENTS)
                    .set(EVENTS.TITLE, f.title().strip())
                    .set(EVENTS.TITLE_ES, f.titleEs().strip())
                    .set(EVENTS.DESCRIPTION, f.description())
                    .set(EVENTS.DESCRIPTION_ES, f.descriptionEs())
                    .set(EVENTS.START_AT, f.startAt().toOffsetDateTime())
                    .set(EVENTS.END_AT, f.endAt().toOffsetDateTime())
                    .set(EVENTS.TIME_ZONE, f.zone().getId())
                    .set(EVENTS.LOCATION, f.location().strip())
                    .set(EVENTS.ONLINE_URL, f.onlineUrl().strip())
                    .set(EVENTS.CAPACITY, f.capacityValue())
                    .set(EVENTS.CAMPAIGN_ID, f.campaignValue())
                    .set(EVENTS.HOST_USER_ID, f.hostValue())
                    .set(EVENTS.TURNOUT_GOAL, f.goalValue())
                    .set(EVENTS.CONFIDENTIAL, f.confidential())
                    .set(EVENTS.REMINDER_MINUTES, f.reminderMinutes().toArray(new Integer[0]))
                    .set(EVENTS.KIND, f.kindValue())
                    .set(EVENTS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(EVENTS.ID.eq(id))
                    .returning()
                    .fetchOptional()
                    .map(EventRepository::toEvent);
            updated.ifPresent(e -> Reminders.reschedule(tx, e));
            return updated;
        });
    }

    public void setStatus(long id, String status) {
        dsl.update(EVENTS).set(EVENTS.STATUS, status).set(EVENTS.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(EVENTS.ID.eq(id)).execute();
    }

    public Optional<Event> find(long id) {
        return dsl.selectFrom(EVENTS).where(EVENTS.ID.eq(id)).fetchOptional().map(EventRepository::toEvent);
    }

    /** The event if this user may see it; empty otherwise (so callers answer 404). */
    public Optional<Event> findVisible(long id, User user) {
        return dsl.selectFrom(EVENTS).where(EVENTS.ID.eq(id)).and(visibleTo(user)).fetchOptional()
                .map(EventRepository::toEvent);
    }

    public Paged<Event> list(User user, int page, int perPage) {
        Condition c = visibleTo(user);
        int total = dsl.fetchCount(EVENTS, c);
        List<Event> items = dsl.selectFrom(EVENTS).where(c).orderBy(EVENTS.START_AT.desc(), EVENTS.ID.desc())
                .limit(perPage).offset((page - 1) * perPage).fetch(EventRepository::toEvent);
        return new Paged<>(items, total, page, perPage);
    }

    /** Every occurrence of a series, in order. */
    public List<Event> series(long seriesId) {
        return dsl.selectFrom(EVENTS).where(EVENTS.SERIES_ID.eq(seriesId)).orderBy(EVENTS.START_AT)
                .fetch(EventRepository::toEvent);
    }

    public List<Event> forCampaign(long campaignId) {
        return dsl.selectFrom(EVENTS).where(EVENTS.CAMPAIGN_ID.eq(campaignId)).orderBy(EVENTS.START_AT)
                .fetch(EventRepository::toEvent);
    }

    /** Staff who can host: every leader and organizer. */
    public List<Host> hosts() {
        return dsl.select(USERS.ID, USERS.NAME, USERS.EMAIL).from(USERS).orderBy(USERS.NAME, USERS.EMAIL)
                .fetch(r -> new Host(r.value1(), r.value2().isBlank() ? r.value3() : r.value2() + " (" + r.value3() + ")"));
    }

    static Event toEvent(EventsRecord r) {
        return new Event(r.getId(), r.getCampaignId(), r.getSeriesId(), r.getTitle(), r.getTitleEs(), r.getDescription(),
                r.getDescriptionEs(), r.getStartAt(), r.getEndAt(), r.getTimeZone(), r.getLocation(), r.getOnlineUrl(),
                r.getCapacity(), r.getHostUserId(), r.getTurnoutGoal(), r.getConfidential(), r.getRecurrence(),
                Arrays.asList(r.getReminderMinutes()), r.getStatus(), r.getCreatedAt(), r.getUpdatedAt(), r.getKind());
    }

}
