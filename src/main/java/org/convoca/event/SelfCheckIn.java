package org.convoca.event;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.db.AppSecrets;
import org.convoca.supporter.PersonInput;
import org.convoca.supporter.PersonRepository;
import org.convoca.supporter.Phones;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Views;

/**
 * Self check-in from the QR code at the door: the person gives their email (and name) and is
 * marked present, as a walk-in if they had not pledged. Open from two hours before the start to
 * two hours after the end; the token in the address only comes from the printed code.
 */
public final class SelfCheckIn {
    private static final Duration WINDOW = Duration.ofHours(2);
    private final EventRepository events;
    private final AttendanceRepository attendances;
    private final EventLinks links;
    private final Views views;
    private final AppSecrets secrets;
    private final String phoneRegion;

    public SelfCheckIn(EventRepository events, AttendanceRepository attendances, EventLinks links, Views views,
                       AppSecrets secrets, String phoneRegion) {
        this.events = events;
        this.attendances = attendances;
        this.links = links;
        this.views = views;
        this.secrets = secrets;
        this.phoneRegion = phoneRegion;
    }

    public void form(Context ctx) {
        render(ctx, 200, load(ctx), new PersonInput("", "", "", "", "", "", false, ""), List.of(), false);
    }

    public void checkIn(Context ctx) {
        Event e = load(ctx);
        PersonInput in = PersonInput.from(ctx);
        views.lang(ctx, org.convoca.web.Lang.parse(in.language()));
        List<FieldError> errors = in.validate(phoneRegion);
        if (!errors.isEmpty()) {
            render(ctx, 422, e, in, errors, false);
            return;
        }
        String phone = Phones.normalize(in.phone(), phoneRegion).orElse("");
        attendances.walkIn(e.id(), in, phone, new PersonRepository.Origin("event:" + e.id(), "form", secrets.hmac(ctx.ip())), null);
        render(ctx, 200, e, in, List.of(), true);
    }

    private void render(Context ctx, int status, Event e, PersonInput form, List<FieldError> errors, boolean done) {
        String lang = views.lang(ctx).code();
        Map<String, Object> m = new HashMap<>();
        m.put("event", e);
        m.put("title", e.title(lang));
        m.put("when", EventAdminRoutes.when(views, ctx, e));
        m.put("form", form);
        m.put("done", done);
        m.put("action", ctx.path() + "?lang=" + lang);
        m.put("errors", views.errorMessages(ctx, errors));
        views.render(ctx, status, "event/self_check_in", m);
    }

    private Event load(Context ctx) {
        Event e = events.find(EventAdminRoutes.longParam(ctx, "id")).orElseThrow(HtmlError::notFound);
        if (!links.verifySelfCheckIn(e.id(), ctx.pathParam("token"))) throw HtmlError.notFound();
        OffsetDateTime now = OffsetDateTime.now();
        if (e.cancelled() || now.isBefore(e.startAt().minus(WINDOW)) || now.isAfter(e.endAt().plus(WINDOW))) {
            throw new HtmlError(409, "event.self_check_in.closed");
        }
        return e;
    }
}
