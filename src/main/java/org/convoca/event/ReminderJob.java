package org.convoca.event;

import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.EVENTS;
import static org.convoca.db.schema.Tables.EVENT_REMINDERS;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.convoca.mail.EmailRenderer;
import org.convoca.mail.Outbox;
import org.convoca.settings.OrganizationRepository;
import org.convoca.web.Lang;
import org.convoca.web.Messages;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due reminders: claims pending rows with FOR UPDATE SKIP LOCKED (instances share the work),
 * queues each email in the outbox and marks the row sent in the same transaction, so a reminder is
 * queued once or not at all. Confidential events keep their topic out of the subject.
 */
public final class ReminderJob implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReminderJob.class);
    private final DSLContext dsl;
    private final EmailRenderer emails;
    private final OrganizationRepository organization;
    private final Messages messages;
    private final EventLinks links;
    private ScheduledExecutorService timer;

    public ReminderJob(DSLContext dsl, EmailRenderer emails, OrganizationRepository organization, Messages messages,
                       EventLinks links) {
        this.dsl = dsl;
        this.emails = emails;
        this.organization = organization;
        this.messages = messages;
        this.links = links;
    }

    public synchronized void start() {
        if (timer != null) return;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "event-reminders");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                runOnce(OffsetDateTime.now());
            } catch (RuntimeException e) {
                log.warn("Event reminders skipped: {}", e.getMessage());
            }
        }, 5, 60, TimeUnit.SECONDS);
    }

    /** Queues every reminder due at {@code now}; returns how many emails were queued. */
    public int runOnce(OffsetDateTime now) {
        int queued = 0;
        int batch;
        do {
            int[] result = dsl.transactionResult(cfg -> claimBatch(cfg.dsl(), now));
            batch = result[0];
            queued += result[1];
        } while (batch == 50);
        return queued;
    }

    private int[] claimBatch(DSLContext tx, OffsetDateTime now) {
        var due = tx.select(EVENT_REMINDERS.ID, EVENT_REMINDERS.ATTENDANCE_ID, EVENT_REMINDERS.OFFSET_MINUTES)
                .from(EVENT_REMINDERS)
                .where(EVENT_REMINDERS.STATUS.eq("pending"), EVENT_REMINDERS.DUE_AT.le(now))
                .orderBy(EVENT_REMINDERS.DUE_AT, EVENT_REMINDERS.ID)
                .limit(50)
                .forUpdate().skipLocked()
                .fetch();
        int queued = 0;
        for (var r : due) {
            boolean sent = send(tx, r.value2(), r.value3(), now);
            tx.update(EVENT_REMINDERS).set(EVENT_REMINDERS.STATUS, sent ? "sent" : "skipped")
                    .set(EVENT_REMINDERS.SENT_AT, sent ? now : null)
                    .where(EVENT_REMINDERS.ID.eq(r.value1())).execute();
            if (sent) queued++;
        }
        return new int[] {due.size(), queued};
    }

    private boolean send(DSLContext tx, long attendanceId, int offset, OffsetDateTime now) {
        var row = tx.select(ATTENDANCES.STATUS, PEOPLE.EMAIL, PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME, PEOPLE.LANGUAGE,
                        PEOPLE.ERASED_AT, PEOPLE.EMAIL_STATUS)
                .select(EVENTS.fields())
                .from(ATTENDANCES).join(PEOPLE).on(PEOPLE.ID.eq(ATTENDANCES.PERSON_ID))
                .join(EVENTS).on(EVENTS.ID.eq(ATTENDANCES.EVENT_ID))
                .where(ATTENDANCES.ID.eq(attendanceId)).fetchOne();
        if (row == null || !"accepted".equals(row.get(ATTENDANCES.STATUS)) || row.get(PEOPLE.ERASED_AT) != null) return false;
        if ("bouncing".equals(row.get(PEOPLE.EMAIL_STATUS)) || "spam_complaint".equals(row.get(PEOPLE.EMAIL_STATUS))) return false;
        Event event = EventRepository.toEvent(row.into(EVENTS));
        if (event.cancelled() || !event.remindFrom().isAfter(now)) return false;
        Lang lang = Lang.parse(row.get(PEOPLE.LANGUAGE)).orElse(organization.get().defaultLanguage());
        String topic = event.confidential() ? messages.get(lang, "event.reminder.private_topic") : event.title(lang.code());
        Map<String, Object> model = new HashMap<>();
        model.put("name", row.get(PEOPLE.GIVEN_NAME).isBlank() ? row.get(PEOPLE.EMAIL) : row.get(PEOPLE.GIVEN_NAME));
        model.put("title", event.title(lang.code()));
        model.put("when", event.action() ? messages.get(lang, "event.due", event.due(lang.code())) : event.when(lang.code()));
        model.put("action", event.action());
        model.put("location", event.location());
        model.put("onlineUrl", event.onlineUrl());
        model.put("eventUrl", links.browserUrl(event) + "?lang=" + lang.code());
        model.put("cancelUrl", links.cancelUrl(event.id(), attendanceId) + "?lang=" + lang.code());
        String toName = (row.get(PEOPLE.GIVEN_NAME) + " " + row.get(PEOPLE.FAMILY_NAME)).strip();
        return Outbox.enqueue(tx, emails.email("event_reminder", "event_reminder:" + attendanceId + ":" + offset,
                row.get(PEOPLE.EMAIL), toName, lang, model, topic, (event.action() ? event.end() : event.start()).toLocalDate().toString()));
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
        timer = null;
    }
}
