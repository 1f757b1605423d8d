package org.convoca.mail;

import static org.convoca.db.schema.Tables.OUTBOX;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convoca.db.schema.tables.records.OutboxRecord;
import org.convoca.web.Json;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/**
 * The durable mail outbox. Writers call {@link #enqueue} inside their own transaction, so the
 * email exists if and only if the event that caused it was committed. Senders claim due rows
 * with FOR UPDATE SKIP LOCKED under a lease; state moves to {@code sent} only after SMTP accepted.
 */
public final class Outbox {
    public static final int MAX_ATTEMPTS = 8;
    private final DSLContext dsl;
    private final OutboxBodies bodies;

    public Outbox(DSLContext dsl) {
        this.dsl = dsl;
        this.bodies = new OutboxBodies(dsl);
    }

    /** Queues an email in the caller's transaction; false when its dedupe key was already used. */
    public static boolean enqueue(DSLContext tx, OutgoingEmail email) {
        return enqueueAll(tx, List.of(email)).execute() == 1;
    }

    /**
     * The statement that queues many emails at once, for the caller to run in its transaction
     * (alone, or in one batch with its other writes); a used dedupe key is skipped. Null when none.
     */
    public static org.jooq.Query enqueueAll(DSLContext tx, List<OutgoingEmail> emails) {
        return enqueueAll(tx, emails, new org.convoca.db.ArrayRows("v"));
    }

    /** As above, with its columns in {@code v} (whose arrays() are then all the statement binds). */
    public static org.jooq.Query enqueueAll(DSLContext tx, List<OutgoingEmail> emails, org.convoca.db.ArrayRows v) {
        if (emails.isEmpty()) return null;
        // One array per column: the same statement text for one email or hundreds (see ArrayRows).
        var kind = v.column(OUTBOX.KIND, emails.stream().map(OutgoingEmail::kind).toList());
        var dedupeKey = v.column(OUTBOX.DEDUPE_KEY, emails.stream().map(OutgoingEmail::dedupeKey).toList());
        var to = v.column(OUTBOX.TO_ADDRESS, emails.stream().map(OutgoingEmail::toAddress).toList());
        var toName = v.column(OUTBOX.TO_NAME, emails.stream().map(e -> e.toName() == null ? "" : e.toName()).toList());
        var replyTo = v.column(OUTBOX.REPLY_TO, emails.stream().map(OutgoingEmail::replyTo).toList());
        var fromName = v.column(OUTBOX.FROM_NAME, emails.stream().map(OutgoingEmail::fromName).toList());
        var subject = v.column(OUTBOX.SUBJECT, emails.stream().map(OutgoingEmail::subject).toList());
        var text = v.column(OUTBOX.TEXT_BODY, emails.stream().map(OutgoingEmail::textBody).toList());
        var html = v.column(OUTBOX.HTML_BODY, emails.stream().map(OutgoingEmail::htmlBody).toList());
        var headers = v.column(OUTBOX.HEADERS, emails.stream()
                .map(e -> JSONB.valueOf(toJson(e.headers() == null ? Map.of() : e.headers()))).toList());
        var bodyId = v.column(OUTBOX.BODY_ID, emails.stream().map(e -> e.fills() == null ? null : e.fills().bodyId()).toList());
        var fills = v.column(OUTBOX.FILLS, emails.stream().map(e -> e.fills() == null ? null : fillsJson(e.fills())).toList());
        return tx.insertInto(OUTBOX, OUTBOX.KIND, OUTBOX.DEDUPE_KEY, OUTBOX.TO_ADDRESS, OUTBOX.TO_NAME, OUTBOX.REPLY_TO,
                        OUTBOX.FROM_NAME, OUTBOX.SUBJECT, OUTBOX.TEXT_BODY, OUTBOX.HTML_BODY, OUTBOX.HEADERS,
                        OUTBOX.BODY_ID, OUTBOX.FILLS)
                .select(DSL.select(kind, dedupeKey, to, toName, replyTo, fromName, subject, text, html, headers, bodyId, fills)
                        .from(v.table()))
                .onConflictDoNothing();
    }

    /**
     * Claims up to {@code limit} due rows for this sender: queued ones whose time has come, and
     * "sending" ones whose lease ran out (their sender died). SKIP LOCKED lets instances claim
     * disjoint rows without waiting on each other.
     */
    public List<OutboxMessage> claimDue(int limit, Duration lease) {
        List<OutboxRecord> claimed = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            OffsetDateTime now = OffsetDateTime.now();
            var due = tx.select(OUTBOX.ID).from(OUTBOX)
                    .where(OUTBOX.STATUS.eq("queued").and(OUTBOX.NEXT_ATTEMPT_AT.le(now)))
                    .or(OUTBOX.STATUS.eq("sending").and(OUTBOX.LOCKED_UNTIL.lt(now)))
                    .orderBy(OUTBOX.NEXT_ATTEMPT_AT, OUTBOX.ID)
                    .limit(limit)
                    .forUpdate().skipLocked();
            return tx.update(OUTBOX)
                    .set(OUTBOX.STATUS, "sending")
                    .set(OUTBOX.LOCKED_UNTIL, now.plus(lease))
                    .set(OUTBOX.ATTEMPTS, OUTBOX.ATTEMPTS.plus(1))
                    .where(OUTBOX.ID.in(due))
                    .returning()
                    .fetch();
        });
        return toMessages(claimed);
    }

    public void markSent(long id, String messageId) {
        dsl.update(OUTBOX)
                .set(OUTBOX.STATUS, "sent")
                .set(OUTBOX.SENT_AT, OffsetDateTime.now())
                .set(OUTBOX.MESSAGE_ID, messageId)
                .setNull(OUTBOX.LOCKED_UNTIL)
                .setNull(OUTBOX.LAST_ERROR)
                .where(OUTBOX.ID.eq(id))
                .execute();
    }

    /** A temporary failure: try again after an exponential backoff, or give up after MAX_ATTEMPTS. */
    public void markRetry(long id, int attempts, String error) {
        if (attempts >= MAX_ATTEMPTS) {
            markFailed(id, error);
            return;
        }
        dsl.update(OUTBOX)
                .set(OUTBOX.STATUS, "queued")
                .set(OUTBOX.NEXT_ATTEMPT_AT, OffsetDateTime.now().plus(backoff(attempts)))
                .setNull(OUTBOX.LOCKED_UNTIL)
                .set(OUTBOX.LAST_ERROR, truncate(error))
                .where(OUTBOX.ID.eq(id))
                .execute();
    }

    public void markFailed(long id, String error) {
        dsl.update(OUTBOX)
                .set(OUTBOX.STATUS, "failed")
                .setNull(OUTBOX.LOCKED_UNTIL)
                .set(OUTBOX.LAST_ERROR, truncate(error))
                .where(OUTBOX.ID.eq(id))
                .execute();
    }

    /** 30 s, 1 min, 2 min … capped at 1 h. */
    static Duration backoff(int attempts) {
        long seconds = 30L << Math.min(Math.max(attempts - 1, 0), 7);
        return Duration.ofSeconds(Math.min(seconds, 3600));
    }

    public List<OutboxMessage> recent(int limit, int offset) {
        return toMessages(dsl.selectFrom(OUTBOX).orderBy(OUTBOX.ID.desc()).limit(limit).offset(offset).fetch());
    }

    public int count() {
        return dsl.fetchCount(OUTBOX);
    }

    public Map<String, Integer> countsByStatus() {
        return dsl.select(OUTBOX.STATUS, DSL.count()).from(OUTBOX).groupBy(OUTBOX.STATUS)
                .fetchMap(r -> r.value1(), r -> r.value2());
    }

    public Optional<OutboxMessage> find(long id) {
        return dsl.selectFrom(OUTBOX).where(OUTBOX.ID.eq(id)).fetchOptional().map(r -> toMessages(List.of(r)).get(0));
    }

    /** Rows as sender and admin see them: a stored body's parts with the row's values in place. */
    private List<OutboxMessage> toMessages(List<OutboxRecord> rows) {
        Map<Long, OutboxBodies.Body> shared = bodies.load(rows.stream().map(OutboxRecord::getBodyId).toList());
        return rows.stream().map(r -> toMessage(r, shared.get(r.getBodyId()))).toList();
    }

    private static OutboxMessage toMessage(OutboxRecord r, OutboxBodies.Body body) {
        String text = r.getTextBody();
        String html = r.getHtmlBody();
        if (r.getBodyId() != null) {
            // Bodies are never deleted; a missing one is a bug to hear of, not an empty email to send.
            if (body == null) throw new IllegalStateException("outbox body " + r.getBodyId() + " is missing");
            BodyFills fills = fillsFrom(r.getBodyId(), r.getFills());
            text = body.text(fills.text());
            html = body.html(fills.html());
        }
        return new OutboxMessage(r.getId(), r.getKind(), r.getToAddress(), r.getToName(), r.getFromAddress(),
                r.getFromName(), r.getReplyTo(), r.getSubject(), text, html,
                fromJson(r.getHeaders()), r.getStatus(), r.getAttempts(), r.getLastError(), r.getCreatedAt(),
                r.getSentAt(), r.getNextAttemptAt());
    }

    private static String truncate(String s) {
        if (s == null) return null;
        return s.length() > 1000 ? s.substring(0, 1000) : s;
    }

    private static String toJson(Map<String, String> headers) {
        try {
            return Json.MAPPER.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private record FillsJson(List<String> text, List<String> html) {
    }

    private static JSONB fillsJson(BodyFills fills) {
        try {
            return JSONB.valueOf(Json.MAPPER.writeValueAsString(new FillsJson(fills.text(), fills.html())));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static BodyFills fillsFrom(long bodyId, JSONB json) {
        try {
            FillsJson f = Json.MAPPER.readValue(json.data(), FillsJson.class);
            return new BodyFills(bodyId, f.text(), f.html());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox row's fills unreadable", e);
        }
    }

    private static Map<String, String> fromJson(JSONB json) {
        if (json == null) return Map.of();
        try {
            return Json.MAPPER.readValue(json.data(), new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
