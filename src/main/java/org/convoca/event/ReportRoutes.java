package org.convoca.event;

import io.javalin.http.Context;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.HtmlError;
import org.convoca.web.Views;

/**
 * Turnout reports for organizers (per event, per leader, per campaign funnel, the ladder), the
 * regulars of a series for its host, and CSV exports. Charts are server-rendered SVG.
 */
public final class ReportRoutes {
    private final TurnoutReports reports;
    private final EventAdminRoutes admin;
    private final AttendanceRepository attendances;
    private final Views views;

    public ReportRoutes(TurnoutReports reports, EventAdminRoutes admin, AttendanceRepository attendances, Views views) {
        this.reports = reports;
        this.admin = admin;
        this.attendances = attendances;
        this.views = views;
    }

    public void overview(Context ctx) {
        List<TurnoutReports.EventRow> events = reports.events(50);
        List<TurnoutReports.LeaderRow> leaders = reports.leaders();
        List<TurnoutReports.Funnel> funnels = reports.funnels();
        String pledged = views.t(ctx, "event.pledged");
        String attended = views.t(ctx, "event.attended");
        Map<String, Object> m = new HashMap<>();
        m.put("events", events);
        m.put("leaders", leaders);
        m.put("funnels", funnels);
        m.put("ladder", reports.ladder());
        m.put("eventsChart", svg(Charts.pledgedVsAttended(events.stream().limit(12)
                .map(r -> new Charts.Bar(r.event().title(), r.numbers().pledged(), r.numbers().attended(), r.event().turnoutGoal()))
                .toList(), views.t(ctx, "report.events"), pledged, attended)));
        m.put("leadersChart", svg(Charts.pledgedVsAttended(leaders.stream()
                .map(r -> new Charts.Bar(r.name(), r.numbers().pledged(), r.numbers().attended(), r.numbers().goal()))
                .toList(), views.t(ctx, "report.leaders"), pledged, attended)));
        List<SafeString> funnelCharts = new ArrayList<>();
        for (TurnoutReports.Funnel f : funnels) {
            funnelCharts.add(svg(Charts.funnel(List.of(views.t(ctx, "report.signed"), pledged, attended),
                    List.of(f.signed(), f.pledged(), f.attended()), f.title())));
        }
        m.put("funnelCharts", funnelCharts);
        Map<String, Integer> months = reports.attendedByMonth();
        m.put("monthsChart", svg(Charts.funnel(new ArrayList<>(months.keySet()), new ArrayList<>(months.values()),
                views.t(ctx, "report.by_month"))));
        m.put("hasMonths", !months.isEmpty());
        views.render(ctx, "event/reports", m);
    }

    public void setLeaderGoal(Context ctx) {
        long userId = EventAdminRoutes.longParam(ctx, "user");
        String raw = ctx.formParam("turnout_goal");
        int goal;
        try {
            goal = Integer.parseInt(raw == null ? "" : raw.strip());
        } catch (NumberFormatException e) {
            throw new HtmlError(422, "event.number.invalid");
        }
        if (goal < 0 || goal > 100_000) throw new HtmlError(422, "event.number.invalid");
        if (reports.leaders().stream().noneMatch(l -> l.userId() == userId)) throw HtmlError.notFound();
        reports.setLeaderGoal(userId, goal);
        views.redirectWithFlash(ctx, "/admin/events/reports", "event.saved");
    }

    public void regulars(Context ctx) {
        Event e = admin.loadVisible(ctx);
        if (!e.recurring()) throw HtmlError.notFound();
        views.render(ctx, "event/regulars", Map.of("event", e, "regulars", reports.regulars(e.seriesKey())));
    }

    /** Per-event turnout as CSV. */
    public void eventsCsv(Context ctx) {
        StringBuilder sb = new StringBuilder(Csv.row(List.of("event_id", "title", "start", "time_zone", "pledged", "attended",
                "walk_ins", "no_shows", "flake_rate_percent", "turnout_goal")));
        for (TurnoutReports.EventRow r : reports.events(10_000)) {
            Turnout.Numbers n = r.numbers();
            sb.append(Csv.row(java.util.Arrays.asList(r.event().id(), r.event().title(), r.event().startIso(), r.event().timeZone(),
                    n.pledged(), n.attended(), n.walkIns(), n.noShows(), n.flakePercent(), r.event().turnoutGoal())));
        }
        csv(ctx, "turnout.csv", sb.toString());
    }

    /** One event's roster as CSV, for the host and organizers. */
    public void attendancesCsv(Context ctx) {
        Event e = admin.loadVisible(ctx);
        StringBuilder sb = new StringBuilder(Csv.row(List.of("given_name", "family_name", "email", "phone", "status", "guests",
                "childcare_children", "interpretation_language", "transport", "food", "access_needs", "attended", "walk_in")));
        for (Attendee a : attendances.roster(e.id(), null, 100_000)) {
            sb.append(Csv.row(List.of(a.givenName(), a.familyName(), a.email(), a.phone(), a.status(), a.guests(),
                    a.childcareChildren(), a.interpretationLanguage(), a.transport(), a.food(), a.accessNeeds(), a.attended(),
                    a.walkIn())));
        }
        csv(ctx, "event-" + e.id() + ".csv", sb.toString());
    }

    /** Charts escape every label themselves (Charts.esc), so their SVG may be output as is. */
    private static SafeString svg(String svg) {
        return new SafeString(svg);
    }

    private static void csv(Context ctx, String filename, String body) {
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        ctx.result(body);
    }

}
