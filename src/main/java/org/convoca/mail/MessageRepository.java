package org.convoca.mail;

import static org.convoca.db.schema.Tables.MESSAGES;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.convoca.db.schema.tables.records.MessagesRecord;
import org.convoca.web.FieldError;
import org.convoca.web.Json;
import org.jooq.DSLContext;
import org.jooq.JSONB;

/** Messages: create, edit while draft, read, list, and the status changes an organizer makes. */
public final class MessageRepository {
    private final DSLContext dsl;

    public MessageRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Message create(MessageInput in) {
        MessagesRecord r = dsl.newRecord(MESSAGES);
        apply(r, in);
        r.store();
        r.refresh();
        return toMessage(r);
    }

    /** Saves new content; false when the message has started sending (it can no longer change). */
    public boolean update(long id, MessageInput in) {
        MessagesRecord r = dsl.selectFrom(MESSAGES).where(MESSAGES.ID.eq(id)).fetchOne();
        if (r == null || !MessageStatus.of(r.getStatus()).editable()) return false;
        apply(r, in);
        r.setUpdatedAt(OffsetDateTime.now());
        return r.update() == 1;
    }

    private static void apply(MessagesRecord r, MessageInput in) {
        r.setSubject(in.subject().strip());
        r.setPreheader(nz(in.preheader()));
        r.setBody(in.body());
        r.setSubjectEs(MessageInput.blank(in.subjectEs()) ? null : in.subjectEs().strip());
        r.setBodyEs(MessageInput.blank(in.bodyEs()) ? null : in.bodyEs());
        r.setPreheaderEs(MessageInput.blank(in.preheaderEs()) ? null : in.preheaderEs().strip());
        r.setFromName(nz(in.fromName()));
        r.setFromAddress(nz(in.fromAddress()));
        r.setReplyTo(nz(in.replyTo()));
        r.setTracking(in.tracking());
        r.setTargets(toJson(in.targets()));
        r.setExclusions(toJson(in.exclusions()));
    }

    public Optional<Message> find(long id) {
        return dsl.selectFrom(MESSAGES).where(MESSAGES.ID.eq(id)).fetchOptional(MessageRepository::toMessage);
    }

    public List<Message> recent(int limit, int offset) {
        return dsl.selectFrom(MESSAGES).orderBy(MESSAGES.ID.desc()).limit(limit).offset(offset)
                .fetch(MessageRepository::toMessage);
    }

    public int count() {
        return dsl.fetchCount(MESSAGES);
    }

    /** Moves the status from one of {@code from} to {@code to}; false when it was in another state. */
    public boolean transition(DSLContext tx, long id, List<MessageStatus> from, MessageStatus to, OffsetDateTime scheduledAt) {
        return tx.update(MESSAGES)
                .set(MESSAGES.STATUS, to.code())
                .set(MESSAGES.SCHEDULED_AT, scheduledAt)
                .set(MESSAGES.UPDATED_AT, OffsetDateTime.now())
                .where(MESSAGES.ID.eq(id))
                .and(MESSAGES.STATUS.in(from.stream().map(MessageStatus::code).toList()))
                .execute() == 1;
    }

    static Message toMessage(MessagesRecord r) {
        return new Message(r.getId(), r.getSubject(), r.getPreheader(), r.getBody(), r.getSubjectEs(), r.getBodyEs(),
                r.getPreheaderEs(), r.getFromName(), r.getFromAddress(), r.getReplyTo(), r.getTracking(),
                MessageStatus.of(r.getStatus()), r.getScheduledAt(), fromJson(r.getTargets()),
                fromJson(r.getExclusions()), r.getTotal(), r.getStartedAt(), r.getFinishedAt(), r.getCreatedAt(),
                r.getUpdatedAt());
    }

    private static String nz(String s) {
        return s == null ? "" : s.strip();
    }

    private static JSONB toJson(List<Target> targets) {
        try {
            return JSONB.valueOf(Json.MAPPER.writeValueAsString(targets.stream().map(Target::toJson).toList()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<Target> fromJson(JSONB json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json == null ? "[]" : json.data());
            return Target.fromJson(node, "targets", new ArrayList<FieldError>());
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
