package org.convoca.mail;

import static org.convoca.db.schema.Tables.MESSAGES;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.Row2;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The per-person delivery queue of blasts. Workers in every instance claim due rows of sending
 * messages with FOR UPDATE SKIP LOCKED under a lease; a row becomes {@code sent} only after SMTP
 * accepted it, so a killed worker's rows are claimed again when the lease runs out.
 */
public final class Deliveries {
    public static final int MAX_ATTEMPTS = 5;
    private final DSLContext dsl;

    public Deliveries(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A sent row, to record in one batch. */
    public record Sent(long deliveryId, long personId, long messageId) {
    }

    /**
     * The Message-ID of a delivery: the same on every attempt, so a copy sent again after a crash
     * carries the ID of the first and receivers that collapse duplicates do so. {@link #markSent}
     * stores the same text, built in SQL from the row.
     */
    public static String smtpMessageId(long messageId, long deliveryId, String domain) {
        return "<m" + messageId + ".d" + deliveryId + "@" + domain + ">";
    }

    /**
     * Claims due deliveries of messages that are sending, in one statement per message: the due
     * rows are locked (SKIP LOCKED, so workers never wait on each other) and leased in the same
     * UPDATE that returns them with their person. Consent is checked again here: a person who
     * unsubscribed, bounced or complained since queueing is marked skipped, not returned.
     */
    public List<Recipient> claim(int limit, Duration lease) {
        List<Long> sending = dsl.select(MESSAGES.ID).from(MESSAGES).where(MESSAGES.STATUS.eq("sending"))
                .orderBy(MESSAGES.ID).fetch(MESSAGES.ID);
        List<Recipient> claimed = new ArrayList<>();
        // Oldest message first; a message whose due rows are all leased or waiting for a retry
        // leaves the rest of the claim to the next one.
        for (long messageId : sending) {
            if (claimed.size() >= limit) break;
            var hint = claimedUpTo.computeIfAbsent(messageId, id -> new java.util.concurrent.atomic.AtomicLong());
            long floor = hint.get();
            List<Recipient> got = claim(messageId, floor, limit - claimed.size(), lease);
            // Behind the hint: rows whose lease ran out, rows handed back, retries now due.
            if (floor > 0 && claimed.size() + got.size() < limit) {
                got = new ArrayList<>(got);
                got.addAll(claim(messageId, 0, limit - claimed.size() - got.size(), lease));
            }
            for (Recipient r : got) hint.accumulateAndGet(r.deliveryId(), Math::max);
            claimed.addAll(got);
        }
        return claimed;
    }

    /**
     * Where this instance's workers last claimed, per message: only a hint, so a claim does not
     * walk again over the rows other workers hold and the index entries of rows already sent
     * (each claim re-read them from the start of the message: a few ms per claim by the end of a
     * 100,000-person blast). Nothing depends on it: a claim that finds too little above it looks
     * from the start again.
     */
    private final Map<Long, java.util.concurrent.atomic.AtomicLong> claimedUpTo = new java.util.concurrent.ConcurrentHashMap<>();

    private List<Recipient> claim(long messageId, long afterId, int limit, Duration lease) {
        OffsetDateTime now = OffsetDateTime.now();
        var d = MESSAGE_DELIVERIES;
        var due = DSL.select(d.ID).from(d)
                .where(d.MESSAGE_ID.eq(messageId))
                .and(d.ID.gt(afterId))
                .and(d.STATUS.eq("queued"))
                .and(d.NEXT_ATTEMPT_AT.le(now))
                .and(d.LOCKED_UNTIL.isNull().or(d.LOCKED_UNTIL.lt(now)))
                .orderBy(d.ID)
                .limit(limit)
                .forUpdate().of(d).skipLocked()
                .asTable("due");
        var rows = dsl.transactionResult(cfg -> {
            // The lease need not survive a database crash (the rows would just be claimable again,
            // and none of them is sent yet), so its commit does not wait for the WAL flush.
            cfg.dsl().setLocal(DSL.name("synchronous_commit"), DSL.inline("off")).execute();
            // Right after `send` expanded the audience, the statistics still say the message has
            // no rows; the planner then bitmap-scans every queued row of the message and sorts
            // them to return 250 (85-170 ms per claim at 100,000 rows, measured with EXPLAIN
            // ANALYZE during bench/mail). Reading the partial index (message_id, id) in order
            // stops after the first due rows (about 4 ms) whatever the statistics say.
            cfg.dsl().setLocal(DSL.name("enable_bitmapscan"), DSL.inline("off")).execute();
            return cfg.dsl().update(d).set(d.LOCKED_UNTIL, now.plus(lease)).set(d.ATTEMPTS, d.ATTEMPTS.plus(1))
                .from(due, PEOPLE)
                .where(d.ID.eq(due.field(d.ID)))
                .and(PEOPLE.ID.eq(d.PERSON_ID))
                .returningResult(d.ID, d.MESSAGE_ID, d.PERSON_ID, d.ATTEMPTS, PEOPLE.EMAIL, PEOPLE.GIVEN_NAME,
                        PEOPLE.FAMILY_NAME, PEOPLE.LANGUAGE, PEOPLE.REFERRAL_CODE, PEOPLE.POSTAL_CODE,
                        PEOPLE.EMAIL_STATUS, PEOPLE.ERASED_AT)
                .fetch();
        });
        List<Long> skipped = new ArrayList<>();
        List<Recipient> claimed = new ArrayList<>(rows.size());
        for (var r : rows) {
            if (!"subscribed".equals(r.get(PEOPLE.EMAIL_STATUS)) || r.get(PEOPLE.ERASED_AT) != null) {
                skipped.add(r.get(d.ID));
                continue;
            }
            // ATTEMPTS as returned already counts this attempt.
            claimed.add(new Recipient(r.get(d.ID), r.get(d.MESSAGE_ID), r.get(d.PERSON_ID), r.get(PEOPLE.EMAIL),
                    r.get(PEOPLE.GIVEN_NAME), r.get(PEOPLE.FAMILY_NAME), r.get(PEOPLE.LANGUAGE),
                    r.get(PEOPLE.REFERRAL_CODE), r.get(PEOPLE.POSTAL_CODE), r.get(d.ATTEMPTS)));
        }
        if (!skipped.isEmpty()) {
            // Leased above, so no other worker holds them; a crash before this line re-checks them later.
            dsl.update(d).set(d.STATUS, "skipped").set(d.LAST_ERROR, "not subscribed at send time")
                    .setNull(d.LOCKED_UNTIL).where(d.ID.in(skipped)).execute();
        }
        claimed.sort(java.util.Comparator.comparingLong(Recipient::deliveryId));
        return claimed;
    }

    /**
     * Records accepted deliveries in one statement that binds one array of ids whatever the batch
     * size (a many-row VALUES list cost the recorder more CPU in jOOQ rendering and binding than
     * the database spent running it). No activity row per email: the person's timeline shows "was
     * sent an email" from the delivery row itself (supporter.SentEmailEntries).
     */
    public void markSent(List<Sent> sent, String domain) {
        if (sent.isEmpty()) return;
        Long[] ids = sent.stream().map(Sent::deliveryId).toArray(Long[]::new);
        var d = MESSAGE_DELIVERIES;
        dsl.update(d).set(d.STATUS, "sent").set(d.SENT_AT, OffsetDateTime.now())
                // smtpMessageId(message_id, id, domain), as the email carried it.
                .set(d.SMTP_MESSAGE_ID, DSL.concat(DSL.inline("<m"), d.MESSAGE_ID.cast(String.class),
                        DSL.inline(".d"), d.ID.cast(String.class), DSL.inline("@"), DSL.val(domain), DSL.inline(">")))
                .setNull(d.LOCKED_UNTIL).setNull(d.LAST_ERROR)
                .where(d.ID.eq(DSL.any(ids)))
                .execute();
    }

    /** Those of the messages that are still sending (not paused or cancelled). */
    public java.util.Set<Long> sending(java.util.Collection<Long> messageIds) {
        return new java.util.HashSet<>(dsl.select(MESSAGES.ID).from(MESSAGES)
                .where(MESSAGES.ID.in(messageIds)).and(MESSAGES.STATUS.eq("sending")).fetch(MESSAGES.ID));
    }

    /** Hands leased rows back unsent (their message was paused): claimable again, the attempt not counted. */
    public void release(List<Long> deliveryIds) {
        if (deliveryIds.isEmpty()) return;
        var d = MESSAGE_DELIVERIES;
        dsl.update(d).setNull(d.LOCKED_UNTIL).set(d.ATTEMPTS, d.ATTEMPTS.minus(1))
                .where(d.ID.in(deliveryIds)).and(d.STATUS.eq("queued")).execute();
    }

    /** A temporary failure: retry after a backoff, or fail for good after MAX_ATTEMPTS. */
    public void markRetry(Recipient r, String error) {
        if (r.attempts() >= MAX_ATTEMPTS) {
            markFailed(r.deliveryId(), error);
            return;
        }
        dsl.update(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.NEXT_ATTEMPT_AT, OffsetDateTime.now().plus(Outbox.backoff(r.attempts())))
                .setNull(MESSAGE_DELIVERIES.LOCKED_UNTIL).set(MESSAGE_DELIVERIES.LAST_ERROR, truncate(error))
                .where(MESSAGE_DELIVERIES.ID.eq(r.deliveryId())).execute();
    }

    public void markFailed(long deliveryId, String error) {
        dsl.update(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.STATUS, "failed")
                .setNull(MESSAGE_DELIVERIES.LOCKED_UNTIL).set(MESSAGE_DELIVERIES.LAST_ERROR, truncate(error))
                .where(MESSAGE_DELIVERIES.ID.eq(deliveryId)).execute();
    }

    /** Sending messages fully queued and with nothing left queued are done. */
    public int finishCompleted() {
        return dsl.update(MESSAGES).set(MESSAGES.STATUS, "sent").set(MESSAGES.FINISHED_AT, OffsetDateTime.now())
                .where(MESSAGES.STATUS.eq("sending"))
                // Still being queued: more deliveries come. Safe against a chunk committing meanwhile:
                // a row whose last chunk is not visible to this statement still has expand_until set.
                .and(MESSAGES.EXPAND_UNTIL.isNull())
                .andNotExists(DSL.selectOne().from(MESSAGE_DELIVERIES)
                        .where(MESSAGE_DELIVERIES.MESSAGE_ID.eq(MESSAGES.ID)).and(MESSAGE_DELIVERIES.STATUS.eq("queued")))
                .execute();
    }

    /** A cancelled message's remaining deliveries are skipped. */
    public static void skipQueued(DSLContext tx, long messageId) {
        tx.update(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.STATUS, "skipped").set(MESSAGE_DELIVERIES.LAST_ERROR, "cancelled")
                .where(MESSAGE_DELIVERIES.MESSAGE_ID.eq(messageId)).and(MESSAGE_DELIVERIES.STATUS.eq("queued")).execute();
    }

    /** total, queued, sent, failed, skipped, opened, clicked, unsubscribed. */
    public Map<String, Integer> statistics(long messageId) {
        var d = MESSAGE_DELIVERIES;
        var r = dsl.select(DSL.count(),
                        DSL.count().filterWhere(d.STATUS.eq("queued")),
                        DSL.count().filterWhere(d.STATUS.eq("sent")),
                        DSL.count().filterWhere(d.STATUS.eq("failed")),
                        DSL.count().filterWhere(d.STATUS.eq("skipped")),
                        DSL.count().filterWhere(d.OPENED_AT.isNotNull()),
                        DSL.count().filterWhere(d.CLICKED_AT.isNotNull()),
                        DSL.count().filterWhere(d.UNSUBSCRIBED_AT.isNotNull()))
                .from(d).where(d.MESSAGE_ID.eq(messageId)).fetchSingle();
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        m.put("total", r.value1());
        m.put("queued", r.value2());
        m.put("sent", r.value3());
        m.put("failed", r.value4());
        m.put("skipped", r.value5());
        m.put("opened", r.value6());
        m.put("clicked", r.value7());
        m.put("unsubscribed", r.value8());
        return m;
    }

    private static String truncate(String s) {
        if (s == null) return null;
        return s.length() > 1000 ? s.substring(0, 1000) : s;
    }
}
