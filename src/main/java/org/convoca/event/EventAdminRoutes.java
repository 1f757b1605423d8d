package org.convoca.event;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.auth.User;
import org.convoca.campaign.CampaignRepository;
import org.convoca.web.Access;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Paged;
import org.convoca.web.Views;

/**
 * Staff event pages. Organizers create and edit; the event page (headcounts, roster, turnout) is
 * open to organizers and to the leader who hosts it. Any other event is a 404 for a leader.
 */
public final class EventAdminRoutes {
    private final EventRepository events;
    private final AttendanceRepository attendances;
    private final Turnout turnout;
    private final CampaignRepository campaigns;
    private final EventLinks links;
    private final Views views;

    public EventAdminRoutes(EventRepository events, AttendanceRepository attendances, Turnout turnout,
                            CampaignRepository campaigns, EventLinks links, Views views) {
        this.events = events;
        this.attendances = attendances;
        this.turnout = turnout;
        this.campaigns = campaigns;
        this.links = links;
        this.views = views;
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        views.render(ctx, "event/admin_list", Map.of("events", events.list(user(ctx), p[0], p[1])));
    }

    public void newForm(Context ctx) {
        EventForm f = EventForm.empty();
        String campaign = ctx.queryParam("campaign_id");
        if (campaign != null && campaign.matches("\\d{1,18}")) {
            f = new EventForm(f.title(), f.titleEs(), f.description(), f.descriptionEs(), f.start(), f.end(), f.timeZone(),
                    f.location(), f.onlineUrl(), f.capacity(), campaign, f.hostUserId(), f.turnoutGoal(), f.confidential(),
                    f.recurrence(), f.reminders(), f.kind());
        }
        renderForm(ctx, 200, null, f, List.of());
    }

    public void create(Context ctx) {
        EventForm form = EventForm.from(ctx);
        List<FieldError> errors = validate(form);
        if (!errors.isEmpty()) {
            renderForm(ctx, 422, null, form, errors);
            return;
        }
        Event e = events.create(form, user(ctx).id());
        views.redirectWithFlash(ctx, "/admin/events/" + e.id(), "event.saved");
    }

    public void editForm(Context ctx) {
        Event e = loadAny(ctx);
        renderForm(ctx, 200, e, EventForm.of(e), List.of());
    }

    public void update(Context ctx) {
        Event e = loadAny(ctx);
        EventForm form = EventForm.from(ctx);
        List<FieldError> errors = validate(form);
        if (!errors.isEmpty()) {
            renderForm(ctx, 422, e, form, errors);
            return;
        }
        events.update(e.id(), form);
        views.redirectWithFlash(ctx, "/admin/events/" + e.id(), "event.saved");
    }

    public void changeStatus(Context ctx) {
        Event e = loadAny(ctx);
        String status = ctx.formParam("status");
        if (!"scheduled".equals(status) && !"cancelled".equals(status)) throw new HtmlError(400, "error.bad_request");
        events.setStatus(e.id(), status);
        views.redirectWithFlash(ctx, "/admin/events/" + e.id(), "event.saved");
    }

    /** The host's page: headcounts per need, turnout so far, and the roster (names only here). */
    public void show(Context ctx) {
        Event e = loadVisible(ctx);
        Map<String, Object> m = new HashMap<>();
        m.put("event", e);
        m.put("when", when(views, ctx, e));
        m.put("browserUrl", links.browserUrl(e));
        m.put("needs", turnout.headcounts(e.id()));
        m.put("numbers", turnout.forEvent(e));
        m.put("referrers", turnout.byReferrer(e.id()));
        m.put("roster", attendances.roster(e.id(), null, 1000));
        m.put("series", e.recurring() ? events.series(e.seriesKey()) : List.of());
        m.put("canEdit", user(ctx).organizer());
        m.put("qr", new io.pebbletemplates.pebble.extension.escaper.SafeString(
                QrCode.svg(links.selfCheckInUrl(e.id()), views.t(ctx, "event.self_check_in.qr"))));
        m.put("selfCheckInUrl", links.selfCheckInUrl(e.id()));
        views.render(ctx, "event/admin_show", m);
    }

    private List<FieldError> validate(EventForm form) {
        List<FieldError> errors = new java.util.ArrayList<>(form.validate());
        if (form.campaignValue() != null && errors.stream().noneMatch(x -> x.field().equals("campaign_id"))
                && campaigns.find(form.campaignValue()).isEmpty()) {
            errors.add(new FieldError("campaign_id", "event.campaign.unknown"));
        }
        if (form.hostValue() != null && errors.stream().noneMatch(x -> x.field().equals("host_user_id"))
                && events.hosts().stream().noneMatch(h -> h.id() == form.hostValue())) {
            errors.add(new FieldError("host_user_id", "event.host.unknown"));
        }
        return errors;
    }

    private void renderForm(Context ctx, int status, Event existing, EventForm form, List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("event", existing);
        model.put("form", form);
        model.put("campaigns", campaigns.list(1, 100).items());
        model.put("hosts", events.hosts());
        model.put("errors", views.errorMessages(ctx, errors));
        views.render(ctx, status, "event/admin_form", model);
    }

    Event loadVisible(Context ctx) {
        return events.findVisible(longParam(ctx, "id"), user(ctx)).orElseThrow(HtmlError::notFound);
    }

    private Event loadAny(Context ctx) {
        return events.find(longParam(ctx, "id")).orElseThrow(HtmlError::notFound);
    }

    /** The meeting time of a gathering, or "Due by …" for an action, in the page language. */
    static String when(Views views, Context ctx, Event e) {
        String lang = views.lang(ctx).code();
        return e.action() ? views.t(ctx, "event.due", e.due(lang)) : e.when(lang);
    }

    static User user(Context ctx) {
        return Access.requirePrincipal(ctx).user();
    }

    static long longParam(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw HtmlError.notFound();
        }
    }
}
