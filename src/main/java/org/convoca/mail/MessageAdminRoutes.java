package org.convoca.mail;

import static org.convoca.db.schema.Tables.LISTS;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.TAGS;

import io.javalin.http.Context;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.convoca.settings.OrganizationRepository;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Paged;
import org.convoca.web.Views;
import org.jooq.DSLContext;

/** The admin's messages: compose, preview as a supporter, test send, send or schedule, pause, resume, cancel. */
public final class MessageAdminRoutes {
    private final DSLContext dsl;
    private final MessageRepository messages;
    private final MessageService service;
    private final Audience audience;
    private final Deliveries deliveries;
    private final MessageLinks links;
    private final MergeFields merge;
    private final BlastRenderer renderer;
    private final OrganizationRepository organization;
    private final Views views;
    private final Function<Message, Mailer.Sender> from;

    public MessageAdminRoutes(DSLContext dsl, MessageRepository messages, MessageService service, Audience audience,
                              Deliveries deliveries,
                              MessageLinks links, MergeFields merge, BlastRenderer renderer,
                              OrganizationRepository organization, Views views, SmtpMailer smtp,
                              Function<Message, Mailer.Sender> from) {
        this.dsl = dsl;
        this.messages = messages;
        this.service = service;
        this.audience = audience;
        this.deliveries = deliveries;
        this.links = links;
        this.merge = merge;
        this.renderer = renderer;
        this.organization = organization;
        this.views = views;
        this.from = from;
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        views.render(ctx, "mail/messages", Map.of("page",
                new Paged<>(messages.recent(p[1], (p[0] - 1) * p[1]), messages.count(), p[0], p[1])));
    }

    public void newForm(Context ctx) {
        form(ctx, 200, null, MessageForm.empty(), List.of());
    }

    public void create(Context ctx) {
        MessageForm form = MessageForm.from(ctx);
        List<FieldError> errors = validate(form.input());
        if (!errors.isEmpty()) {
            form(ctx, 422, null, form, errors);
            return;
        }
        Message m = messages.create(form.input());
        views.redirectWithFlash(ctx, "/admin/messages/" + m.id(), "message.saved");
    }

    public void editForm(Context ctx) {
        Message m = load(ctx);
        if (!m.status().editable()) throw HtmlError.notFound();
        form(ctx, 200, m, MessageForm.of(m), List.of());
    }

    public void update(Context ctx) {
        Message m = load(ctx);
        MessageForm form = MessageForm.from(ctx);
        List<FieldError> errors = validate(form.input());
        if (!errors.isEmpty()) {
            form(ctx, 422, m, form, errors);
            return;
        }
        views.redirectWithFlash(ctx, "/admin/messages/" + m.id(),
                messages.update(m.id(), form.input()) ? "message.saved" : "message.locked");
    }

    public void show(Context ctx) {
        Message m = load(ctx);
        Map<String, Object> model = new HashMap<>();
        model.put("message", m);
        model.put("stats", deliveries.statistics(m.id()));
        model.put("audience", m.status().editable() ? audience.count(dsl, m) : m.total());
        model.put("links", links.of(m.id()));
        model.put("sendError", "");
        views.render(ctx, "mail/message_show", model);
    }

    /** The email as one supporter (?person=ID, else a sample) would get it, rendered by the server. */
    public void preview(Context ctx) {
        Message m = load(ctx);
        Recipient r = previewRecipient(ctx.queryParam("person"), ctx.queryParam("lang"));
        BlastRenderer.Rendered rendered = renderer.render(m, organization.get(), r, Map.of());
        // The email's own inline styles need a looser policy; sandbox keeps it inert.
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; sandbox");
        ctx.contentType("text/html; charset=utf-8").result(rendered.html());
    }

    /** Test send to given addresses through the transactional outbox (not the blast queue). */
    public void testSend(Context ctx) {
        Message m = load(ctx);
        List<String> to = new ArrayList<>();
        for (String a : String.valueOf(ctx.formParam("addresses")).split("[,;\\s]+")) {
            if (!a.isBlank()) to.add(a.strip());
        }
        if (to.isEmpty() || to.size() > 10 || !to.stream().allMatch(MessageInput::validEmail)) {
            views.redirectWithFlash(ctx, "/admin/messages/" + m.id(), "message.test.invalid");
            return;
        }
        Recipient sample = previewRecipient(null, ctx.formParam("lang"));
        BlastRenderer.Rendered r = renderer.render(m, organization.get(), sample, Map.of());
        Mailer.Sender sender = from.apply(m);
        dsl.transaction(cfg -> {
            for (String address : to) {
                Outbox.enqueue(cfg.dsl(), new OutgoingEmail("message_test", null, address, "",
                        m.replyTo().isBlank() ? sender.address() : m.replyTo(), "[TEST] " + r.subject(), r.text(), r.html(), Map.of()));
            }
        });
        views.redirectWithFlash(ctx, "/admin/messages/" + m.id(), "message.test.queued");
    }

    public void send(Context ctx) {
        Message m = load(ctx);
        if (m.targets().isEmpty()) {
            views.redirectWithFlash(ctx, "/admin/messages/" + m.id(), "message.targets.required");
            return;
        }
        String when = ctx.formParam("scheduled_at");
        boolean ok;
        if (when != null && !when.isBlank()) {
            try {
                var at = LocalDateTime.parse(when).atZone(ZoneId.systemDefault()).toOffsetDateTime();
                ok = service.schedule(m.id(), at);
            } catch (DateTimeParseException e) {
                views.redirectWithFlash(ctx, "/admin/messages/" + m.id(), "message.schedule.invalid");
                return;
            }
        } else {
            ok = service.sendNow(m.id());
        }
        views.redirectWithFlash(ctx, "/admin/messages/" + m.id(), ok ? "message.started" : "message.locked");
    }

    /** How many people the message would reach now (the re-authentication threshold reads it). */
    public int recipientCount(Context ctx) {
        return audience.count(dsl, load(ctx));
    }

    public void pause(Context ctx) {
        change(ctx, service.pause(load(ctx).id()));
    }

    public void resume(Context ctx) {
        change(ctx, service.resume(load(ctx).id()));
    }

    public void cancel(Context ctx) {
        change(ctx, service.cancel(load(ctx).id()));
    }

    private void change(Context ctx, boolean ok) {
        views.redirectWithFlash(ctx, "/admin/messages/" + ctx.pathParam("id"), ok ? "message.updated" : "message.locked");
    }

    private List<FieldError> validate(MessageInput in) {
        List<FieldError> errors = new ArrayList<>(in.validate(merge));
        if (!audience.segmentsExist(in.targets()) || !audience.segmentsExist(in.exclusions())) {
            errors.add(new FieldError("segments", "message.segment.unknown"));
        }
        return errors;
    }

    private Recipient previewRecipient(String personId, String lang) {
        if (personId != null && personId.matches("\\d{1,18}")) {
            var p = dsl.selectFrom(PEOPLE).where(PEOPLE.ID.eq(Long.parseLong(personId))).fetchOne();
            if (p != null) {
                return new Recipient(0, 0, p.getId(), p.getEmail(), p.getGivenName(), p.getFamilyName(),
                        p.getLanguage(), p.getReferralCode(), p.getPostalCode(), 0);
            }
        }
        return new Recipient(0, 0, 0, "", "", "", "es".equals(lang) ? "es" : "en", null, "", 0);
    }

    private void form(Context ctx, int status, Message m, MessageForm form, List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("message", m);
        model.put("form", form);
        model.put("errors", views.errorMessages(ctx, errors));
        model.put("lists", dsl.select(LISTS.ID, LISTS.NAME).from(LISTS).orderBy(LISTS.NAME)
                .fetch(r -> Map.of("id", String.valueOf(r.value1()), "name", r.value2())));
        model.put("segments", new org.convoca.supporter.SegmentRepository(dsl).all().stream()
                .map(sg -> Map.of("id", String.valueOf(sg.id()), "name", sg.name())).toList());
        model.put("tags", dsl.select(TAGS.NAME).from(TAGS).orderBy(TAGS.NAME).fetch(TAGS.NAME));
        model.put("fields", MergeFields.FIELDS.stream().map(f -> "{{ " + f + " }}").toList());
        views.render(ctx, status, "mail/message_form", model);
    }

    private Message load(Context ctx) {
        try {
            return messages.find(Long.parseLong(ctx.pathParam("id"))).orElseThrow(HtmlError::notFound);
        } catch (NumberFormatException e) {
            throw HtmlError.notFound();
        }
    }
}
