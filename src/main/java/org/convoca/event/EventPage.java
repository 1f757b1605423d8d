package org.convoca.event;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convoca.db.AppSecrets;
import org.convoca.supporter.Phones;
import org.convoca.supporter.PersonRepository;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Views;

/**
 * The public event page at {@code browser_url} (/e/{id}): details in the reader's language, an
 * "add to calendar" file, and the pledge form (a waitlist once the event is full). No names of
 * other attendees appear here, confidential or not.
 */
public final class EventPage {
    private final EventRepository events;
    private final AttendanceRepository attendances;
    private final Turnout turnout;
    private final EventLinks links;
    private final Views views;
    private final AppSecrets secrets;
    private final String phoneRegion;

    public EventPage(EventRepository events, AttendanceRepository attendances, Turnout turnout, EventLinks links,
                     Views views, AppSecrets secrets, String phoneRegion) {
        this.events = events;
        this.attendances = attendances;
        this.turnout = turnout;
        this.links = links;
        this.views = views;
        this.secrets = secrets;
        this.phoneRegion = phoneRegion;
    }

    public void show(Context ctx) {
        render(ctx, 200, load(ctx), PledgeForm.empty(), List.of());
    }

    public void pledge(Context ctx) {
        Event e = load(ctx);
        if (e.cancelled() || e.endAt().isBefore(java.time.OffsetDateTime.now())) throw new HtmlError(409, "event.closed");
        PledgeForm form = PledgeForm.from(ctx);
        views.lang(ctx, org.convoca.web.Lang.parse(form.person().language()));  // the supporter's language, unless ?lang= says
        List<FieldError> errors = form.validate(phoneRegion);
        if (!errors.isEmpty()) {
            render(ctx, 422, e, form, errors);
            return;
        }
        String phone = Phones.normalize(form.person().phone(), phoneRegion).orElse("");
        var origin = new PersonRepository.Origin("event:" + e.id(), "form", secrets.hmac(ctx.ip()));
        AttendanceRepository.Pledged p = attendances.pledge(e, form, phone, origin, AttendanceStatus.ACCEPTED);
        String lang = views.lang(ctx).code();
        ctx.redirect(links.path(e.id()) + "/thanks?status=" + p.status().value() + "&lang=" + lang, HttpStatus.SEE_OTHER);
    }

    public void thanks(Context ctx) {
        Event e = load(ctx);
        boolean waitlisted = "waitlisted".equals(ctx.queryParam("status"));
        views.render(ctx, "event/thanks", Map.of("event", e, "title", e.title(views.lang(ctx).code()),
                "waitlisted", waitlisted, "eventPath", links.path(e.id())));
    }

    /** The .ics "add to calendar" file (RFC 5545), one VEVENT. */
    public void ics(Context ctx) {
        Event e = load(ctx);
        String lang = views.lang(ctx).code();
        ctx.contentType("text/calendar; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"event-" + e.id() + ".ics\"");
        ctx.result(Ics.event(e, lang, links.browserUrl(e)));
    }

    public void cancelForm(Context ctx) {
        Event e = load(ctx);
        long attendanceId = verified(ctx);
        boolean already = attendances.find(e.id(), attendanceId).map(a -> "cancelled".equals(a.status())).orElse(true);
        views.render(ctx, "event/cancel", Map.of("event", e, "title", e.title(views.lang(ctx).code()),
                "when", EventAdminRoutes.when(views, ctx, e), "done", already, "action", ctx.path()));
    }

    public void cancel(Context ctx) {
        Event e = load(ctx);
        long attendanceId = verified(ctx);
        attendances.find(e.id(), attendanceId).orElseThrow(HtmlError::notFound);
        attendances.cancel(attendanceId);
        views.render(ctx, "event/cancel", Map.of("event", e, "title", e.title(views.lang(ctx).code()),
                "when", EventAdminRoutes.when(views, ctx, e), "done", true, "action", ctx.path()));
    }

    private long verified(Context ctx) {
        long id = EventAdminRoutes.longParam(ctx, "attendance");
        if (!links.verify(id, ctx.pathParam("sig"))) throw HtmlError.notFound();
        return id;
    }

    private void render(Context ctx, int status, Event e, PledgeForm form, List<FieldError> errors) {
        String lang = views.lang(ctx).code();
        int taken = turnout.seatsTaken(e.id());
        Map<String, Object> m = new HashMap<>();
        m.put("event", e);
        m.put("title", e.title(lang));
        m.put("description", e.description(lang));
        m.put("when", EventAdminRoutes.when(views, ctx, e));
        m.put("browserUrl", links.browserUrl(e));
        m.put("icsUrl", links.path(e.id()) + "/calendar.ics?lang=" + lang);
        m.put("action", links.path(e.id()) + "/pledge?lang=" + lang);
        m.put("full", e.capacity() != null && taken >= e.capacity());
        m.put("seatsLeft", e.capacity() == null ? null : Math.max(0, e.capacity() - taken));
        m.put("past", e.endAt().isBefore(java.time.OffsetDateTime.now()));
        m.put("form", form);
        m.put("ref", Optional.ofNullable(form.person().ref()).filter(r -> !r.isBlank())
                .orElse(Optional.ofNullable(ctx.queryParam("ref")).orElse("")));
        m.put("errors", views.errorMessages(ctx, errors));
        views.render(ctx, status, "event/show", m);
    }

    private Event load(Context ctx) {
        return events.find(EventAdminRoutes.longParam(ctx, "id")).orElseThrow(HtmlError::notFound);
    }
}
