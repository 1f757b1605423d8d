package org.convoca.event;

import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.EVENT_REMINDERS;

import java.time.OffsetDateTime;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Reminder rows: one per accepted pledge and offset, written in the pledge's transaction. The
 * unique key (attendance, offset) makes scheduling idempotent and each reminder a single email.
 */
final class Reminders {
    private Reminders() {
    }

    static void schedule(DSLContext tx, long attendanceId, Event event) {
        OffsetDateTime now = OffsetDateTime.now();
        for (int minutes : event.reminderMinutes()) {
            OffsetDateTime due = event.remindFrom().minusMinutes(minutes);
            if (!due.isAfter(now)) continue;  // too late for this one; a later offset may still apply
            tx.insertInto(EVENT_REMINDERS)
                    .set(EVENT_REMINDERS.ATTENDANCE_ID, attendanceId)
                    .set(EVENT_REMINDERS.OFFSET_MINUTES, minutes)
                    .set(EVENT_REMINDERS.DUE_AT, due)
                    .onConflict(EVENT_REMINDERS.ATTENDANCE_ID, EVENT_REMINDERS.OFFSET_MINUTES).doUpdate()
                    .set(EVENT_REMINDERS.STATUS, "pending")
                    .set(EVENT_REMINDERS.DUE_AT, due)
                    // A sent reminder stays sent; only a skipped one (cancelled, then pledged again) comes back.
                    .where(EVENT_REMINDERS.STATUS.ne("sent"))
                    .execute();
        }
    }

    static void skip(DSLContext tx, long attendanceId) {
        tx.update(EVENT_REMINDERS).set(EVENT_REMINDERS.STATUS, "skipped")
                .where(EVENT_REMINDERS.ATTENDANCE_ID.eq(attendanceId), EVENT_REMINDERS.STATUS.eq("pending")).execute();
    }

    /** The event moved or its offsets changed: pending reminders follow. */
    static void reschedule(DSLContext tx, Event event) {
        var ofEvent = DSL.select(ATTENDANCES.ID).from(ATTENDANCES).where(ATTENDANCES.EVENT_ID.eq(event.id()));
        tx.deleteFrom(EVENT_REMINDERS)
                .where(EVENT_REMINDERS.STATUS.eq("pending"), EVENT_REMINDERS.ATTENDANCE_ID.in(ofEvent)).execute();
        if (event.cancelled()) return;
        for (long id : tx.select(ATTENDANCES.ID).from(ATTENDANCES)
                .where(ATTENDANCES.EVENT_ID.eq(event.id()), ATTENDANCES.STATUS.eq("accepted")).fetch(ATTENDANCES.ID)) {
            schedule(tx, id, event);
        }
    }
}
