package org.convoca.mail;

import static org.convoca.db.schema.Tables.MESSAGES;

import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Starting, scheduling, pausing, resuming and cancelling a message. Starting expands the audience
 * into deliveries and flips the status in one transaction, so a message is either not started or
 * fully queued.
 */
public final class MessageService {
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

    /** Queues a draft or scheduled message now; false when it is in another state. */
    public boolean sendNow(long id) {
        boolean started = dsl.transactionResult(cfg -> start(cfg.dsl(), id,
                List.of(MessageStatus.DRAFT, MessageStatus.SCHEDULED)));
        if (started) onStart.run();
        return started;
    }

    private boolean start(DSLContext tx, long id, List<MessageStatus> from) {
        var row = tx.selectFrom(MESSAGES).where(MESSAGES.ID.eq(id)).forUpdate().fetchOne();
        if (row == null || !from.contains(MessageStatus.of(row.getStatus()))) return false;
        messages.transition(tx, id, from, MessageStatus.SENDING, row.getScheduledAt());
        audience.expand(tx, MessageRepository.toMessage(row));
        return true;
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

    /** Starts scheduled messages whose time has come; SKIP LOCKED lets instances share the check. */
    public int startDue() {
        List<Long> due = dsl.select(MESSAGES.ID).from(MESSAGES)
                .where(MESSAGES.STATUS.eq("scheduled")).and(MESSAGES.SCHEDULED_AT.le(OffsetDateTime.now()))
                .fetch(MESSAGES.ID);
        int started = 0;
        for (long id : due) {
            if (dsl.transactionResult(cfg -> start(cfg.dsl(), id, List.of(MessageStatus.SCHEDULED)))) started++;
        }
        if (started > 0) onStart.run();
        return started;
    }
}
