package org.convoca.mail;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.FieldError;
import org.convoca.web.Json;
import org.convoca.web.Paged;
import org.convoca.web.Problem;

/** {@code /api/v1/messages}: list, create, read, update while draft, and the send helper. */
public final class MessagesApi {
    private final MessageRepository messages;
    private final MessageService service;
    private final Deliveries deliveries;
    private final MergeFields merge;
    private final Audience audience;
    private final String baseUrl;

    public MessagesApi(MessageRepository messages, MessageService service, Deliveries deliveries, MergeFields merge,
                       Audience audience, String baseUrl) {
        this.audience = audience;
        this.messages = messages;
        this.service = service;
        this.deliveries = deliveries;
        this.merge = merge;
        this.baseUrl = baseUrl;
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        Paged<Message> page = new Paged<>(messages.recent(p[1], (p[0] - 1) * p[1]), messages.count(), p[0], p[1]);
        ctx.json(page.osdi("messages", this::toJson));
    }

    public void read(Context ctx) {
        ctx.json(toJson(load(ctx)));
    }

    public void create(Context ctx) {
        MessageInput in = input(Json.body(ctx), null);
        Message m = messages.create(in);
        ctx.status(201).header("Location", baseUrl + "/api/v1/messages/" + m.id()).json(toJson(m));
    }

    public void update(Context ctx) {
        Message existing = load(ctx);
        MessageInput in = input(Json.body(ctx), existing);
        if (!messages.update(existing.id(), in)) throw new Problem(409, "Conflict", "The message has started sending and can no longer change");
        ctx.json(toJson(load(ctx)));
    }

    /** {@code POST /api/v1/messages/{id}/send}: now, or at {@code scheduled_at}. */
    public void send(Context ctx) {
        Message m = load(ctx);
        OffsetDateTime at = null;
        if (!ctx.body().isBlank()) {
            JsonNode body = Json.body(ctx);
            if (body.hasNonNull("scheduled_at")) {
                try {
                    at = OffsetDateTime.parse(body.get("scheduled_at").asText());
                } catch (DateTimeParseException e) {
                    throw Problem.validation(List.of(new Problem.Error("scheduled_at", "must be an ISO 8601 date-time with offset")));
                }
            }
        }
        if (m.targets().isEmpty()) {
            throw Problem.validation(List.of(new Problem.Error("targets", Problem.describe("message.targets.required"))));
        }
        boolean ok = at != null && at.isAfter(OffsetDateTime.now()) ? service.schedule(m.id(), at) : service.sendNow(m.id());
        if (!ok) throw new Problem(409, "Conflict", "The message is " + m.statusCode() + " and cannot be sent again");
        ctx.status(202).json(toJson(load(ctx)));
    }

    private Message load(Context ctx) {
        try {
            return messages.find(Long.parseLong(ctx.pathParam("id"))).orElseThrow(() -> Problem.notFound("Message"));
        } catch (NumberFormatException e) {
            throw Problem.notFound("Message");
        }
    }

    /** Reads a message; fields left out keep their current value (OSDI's partial PUT). */
    private MessageInput input(JsonNode j, Message old) {
        List<FieldError> errors = new ArrayList<>();
        List<Target> targets = j.has("targets") ? Target.fromJson(j.get("targets"), "targets", errors)
                : old == null ? List.of() : old.targets();
        List<Target> exclusions = j.has("exclusions") ? Target.fromJson(j.get("exclusions"), "exclusions", errors)
                : old == null ? List.of() : old.exclusions();
        MessageInput in = new MessageInput(
                text(j, "subject", old == null ? null : old.subject()),
                text(j, "preheader", old == null ? "" : old.preheader()),
                text(j, "body", old == null ? null : old.body()),
                text(j, "subject_es", old == null ? null : old.subjectEs()),
                text(j, "body_es", old == null ? null : old.bodyEs()),
                text(j, "preheader_es", old == null ? null : old.preheaderEs()),
                text(j, "from_name", old == null ? "" : old.fromName()),
                text(j, "from", old == null ? "" : old.fromAddress()),
                text(j, "reply_to", old == null ? "" : old.replyTo()),
                j.has("tracking") ? j.get("tracking").asBoolean(true) : old == null || old.tracking(),
                targets, exclusions);
        errors.addAll(in.validate(merge));
        if (!audience.segmentsExist(targets)) errors.add(new FieldError("targets", "message.segment.unknown"));
        if (!audience.segmentsExist(exclusions)) errors.add(new FieldError("exclusions", "message.segment.unknown"));
        if (!errors.isEmpty()) {
            throw Problem.validation(errors.stream().map(e -> new Problem.Error(e.field(), Problem.describe(e.key()))).toList());
        }
        return in;
    }

    private static String text(JsonNode j, String field, String fallback) {
        if (!j.has(field)) return fallback;
        JsonNode v = j.get(field);
        return v.isNull() ? null : v.asText();
    }

    Map<String, Object> toJson(Message m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("identifiers", List.of("convoca:" + m.id()));
        out.put("id", m.id());
        out.put("created_date", m.createdAt());
        out.put("modified_date", m.updatedAt());
        out.put("subject", m.subject());
        out.put("preheader", m.preheader());
        out.put("body", m.body());
        out.put("subject_es", m.subjectEs());
        out.put("body_es", m.bodyEs());
        out.put("from", m.fromAddress());
        out.put("from_name", m.fromName());
        out.put("reply_to", m.replyTo());
        out.put("tracking", m.tracking());
        out.put("targets", m.targets().stream().map(Target::toJson).toList());
        out.put("exclusions", m.exclusions().stream().map(Target::toJson).toList());
        out.put("status", m.statusCode());
        out.put("scheduled_at", m.scheduledAt());
        Map<String, Integer> s = new LinkedHashMap<>(deliveries.statistics(m.id()));
        s.remove("skipped");
        out.put("statistics", s);
        return out;
    }
}
