package org.convoca.event;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.auth.User;
import org.convoca.db.AppSecrets;
import org.convoca.supporter.PersonInput;
import org.convoca.supporter.PersonRepository;
import org.convoca.supporter.Phones;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Views;

/**
 * Check-in at the door, on a phone: search by name or phone, one button to mark present, undo, and
 * a short walk-in form. Walk-ins are credited to the checking leader unless another code is given.
 */
public final class CheckInRoutes {
    private final EventAdminRoutes admin;
    private final AttendanceRepository attendances;
    private final Leaders leaders;
    private final Views views;
    private final AppSecrets secrets;
    private final String phoneRegion;

    public CheckInRoutes(EventAdminRoutes admin, AttendanceRepository attendances, Leaders leaders, Views views,
                         AppSecrets secrets, String phoneRegion) {
        this.admin = admin;
        this.attendances = attendances;
        this.leaders = leaders;
        this.views = views;
        this.secrets = secrets;
        this.phoneRegion = phoneRegion;
    }

    public void page(Context ctx) {
        Event e = admin.loadVisible(ctx);
        render(ctx, 200, e, new PersonInput("", "", "", "", "", "", false, defaultRef(EventAdminRoutes.user(ctx))), List.of());
    }

    public void checkIn(Context ctx) {
        Event e = admin.loadVisible(ctx);
        long id = EventAdminRoutes.longParam(ctx, "attendance");
        attendances.find(e.id(), id).orElseThrow(HtmlError::notFound);
        boolean done = attendances.checkIn(e.id(), id, EventAdminRoutes.user(ctx).id());
        views.redirectWithFlash(ctx, back(ctx, e), done ? "event.checked_in" : "event.already_checked_in");
    }

    public void undo(Context ctx) {
        Event e = admin.loadVisible(ctx);
        long id = EventAdminRoutes.longParam(ctx, "attendance");
        attendances.find(e.id(), id).orElseThrow(HtmlError::notFound);
        attendances.undo(e.id(), id);
        views.redirectWithFlash(ctx, back(ctx, e), "event.check_in_undone");
    }

    public void walkIn(Context ctx) {
        Event e = admin.loadVisible(ctx);
        User user = EventAdminRoutes.user(ctx);
        PersonInput in = PersonInput.from(ctx);
        if (ctx.formParam("ref") == null) in = withRef(in, defaultRef(user));
        List<FieldError> errors = in.validate(phoneRegion);
        if (!errors.isEmpty()) {
            render(ctx, 422, e, in, errors);
            return;
        }
        String phone = Phones.normalize(in.phone(), phoneRegion).orElse("");
        var origin = new PersonRepository.Origin("event:" + e.id(), "form", secrets.hmac(ctx.ip()));
        attendances.walkIn(e.id(), in, phone, origin, user.id());
        views.redirectWithFlash(ctx, "/admin/events/" + e.id() + "/checkin", "event.walk_in_added");
    }

    private void render(Context ctx, int status, Event e, PersonInput walkIn, List<FieldError> errors) {
        String q = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").strip();
        List<Attendee> roster = attendances.roster(e.id(), q, 200);
        Map<String, Object> m = new HashMap<>();
        m.put("event", e);
        m.put("title", e.title(views.lang(ctx).code()));
        m.put("q", q);
        m.put("qParam", q.isEmpty() ? "" : "?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        m.put("roster", roster);
        m.put("present", roster.stream().filter(Attendee::attended).count());
        m.put("walkIn", walkIn);
        m.put("errors", views.errorMessages(ctx, errors));
        views.render(ctx, status, "event/checkin", m);
    }

    private String defaultRef(User user) {
        return user.organizer() ? "" : leaders.self(user).referralCode();
    }

    private static PersonInput withRef(PersonInput in, String ref) {
        return new PersonInput(in.givenName(), in.familyName(), in.email(), in.postalCode(), in.phone(), in.language(),
                in.emailOptIn(), ref);
    }

    private static String back(Context ctx, Event e) {
        String q = ctx.formParam("q");
        String base = "/admin/events/" + e.id() + "/checkin";
        return q == null || q.isBlank() ? base : base + "?q=" + URLEncoder.encode(q.strip(), StandardCharsets.UTF_8);
    }

}
