package org.convoca.mail;

import static org.convoca.db.schema.Tables.MESSAGES;

import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Starting, scheduling, pausing, resuming and cancelling a message. Starting flips the status and
 * notes the people ids to queue in one transaction, then queues them chunk by chunk, each chunk
 * committed, so the blast workers start on the first chunk while the rest is queued. A message
 * still being queued is never finished ({@link Deliveries#finishCompleted}); one whose queueing a
 * crash cut off is taken up again by any instance ({@link #startDue}).
 */
public final class MessageService {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MessageService.class);
    private final DSLContext dsl;
    private final MessageRepository messages;
    private final Audience audience;
    private volatile Runnable onStart = () -> { };

    public MessageService(DSLContext dsl, MessageRepository messages, Audience audience) {
        this.dsl = dsl;
        this.messages = messages;
        this.audience = audience;
    }

    /** Called after a message started sending (wakes the local workers). */
    public void onStart(Runnable r) {
        this.onStart = r;
    }

    /**
     * Starts a draft or scheduled message now and queues its deliveries before returning; false
     * when it is in another state.
     */
    public boolean sendNow(long id) {
        boolean started = dsl.transactionResult(cfg -> start(cfg.dsl(), id,
                List.of(MessageStatus.DRAFT, MessageStatus.SCHEDULED)));
        if (started) expand(id);
        return started;
    }

    private boolean start(DSLContext tx, long id, List<MessageStatus> from) {
        var row = tx.selectFrom(MESSAGES).where(MESSAGES.ID.eq(id)).forUpdate().fetchOne();
        if (row == null || !from.contains(MessageStatus.of(row.getStatus()))) return false;
        messages.transition(tx, id, from, MessageStatus.SENDING, row.getScheduledAt());
        audience.begin(tx, id);
        return true;
    }

    /** Queues a started message's deliveries; the workers are woken after the first chunk. */
    private void expand(long id) {
        try {
            audience.expandAll(dsl, id, onStart);
        } catch (RuntimeException e) {
            // Started all the same: an instance's scheduler queues the rest once it looks cut off.
            log.warn("Queueing message {} stopped, to be taken up again: {}", id, e.getMessage());
        }
    }

    public boolean schedule(long id, OffsetDateTime at) {
        return dsl.transactionResult(cfg -> messages.transition(cfg.dsl(), id, List.of(MessageStatus.DRAFT,
                MessageStatus.SCHEDULED), MessageStatus.SCHEDULED, at));
    }

    public boolean unschedule(long id) {
        return dsl.transactionResult(cfg -> messages.transition(cfg.dsl(), id, List.of(MessageStatus.SCHEDULED),
                MessageStatus.DRAFT, null));
    }

    public boolean pause(long id) {
        return dsl.transactionResult(cfg -> messages.transition(cfg.dsl(), id, List.of(MessageStatus.SENDING),
                MessageStatus.PAUSED, null));
    }

    public boolean resume(long id) {
        boolean ok = dsl.transactionResult(cfg -> messages.transition(cfg.dsl(), id, List.of(MessageStatus.PAUSED),
                MessageStatus.SENDING, null));
        if (ok) onStart.run();
        return ok;
    }

    /** Stops a message for good: what was not yet sent is skipped. */
    public boolean cancel(long id) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            boolean ok = messages.transition(tx, id, List.of(MessageStatus.DRAFT, MessageStatus.SCHEDULED,
                    MessageStatus.SENDING, MessageStatus.PAUSED), MessageStatus.CANCELLED, null);
            if (ok) Deliveries.skipQueued(tx, id);
            return ok;
        });
    }

    /**
     * Starts scheduled messages whose time has come, and takes up queueing that a crash cut off;
     * the row lock lets instances share the check.
     */
    public int startDue() {
        audience.resumeStale(dsl, onStart);
        List<Long> due = dsl.select(MESSAGES.ID).from(MESSAGES)
                .where(MESSAGES.STATUS.eq("scheduled")).and(MESSAGES.SCHEDULED_AT.le(OffsetDateTime.now()))
                .fetch(MESSAGES.ID);
        int started = 0;
        for (long id : due) {
            if (dsl.transactionResult(cfg -> start(cfg.dsl(), id, List.of(MessageStatus.SCHEDULED)))) {
                started++;
                expand(id);
            }
        }
        return started;
    }
}
