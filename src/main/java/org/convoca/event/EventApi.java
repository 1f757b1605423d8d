package org.convoca.event;

import static org.convoca.db.schema.Tables.ATTENDANCES;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.auth.User;
import org.convoca.db.AppSecrets;
import org.convoca.supporter.PersonInput;
import org.convoca.supporter.PersonRepository;
import org.convoca.supporter.Phones;
import org.convoca.web.Access;
import org.convoca.web.FieldError;
import org.convoca.web.Json;
import org.convoca.web.Paged;
import org.convoca.web.Problem;

/**
 * {@code /api/v1/events} with {@code attendances} and {@code turnout}, per the contract. A leader's
 * token sees only the events they host: any other id is a 404, as if it did not exist.
 */
public final class EventApi {
    private final EventRepository events;
    private final AttendanceRepository attendances;
    private final Turnout turnout;
    private final EventLinks links;
    private final AppSecrets secrets;
    private final String phoneRegion;
    private final AttendanceJson attendanceJson;

    public EventApi(EventRepository events, AttendanceRepository attendances, Turnout turnout, Leaders leaders,
                    EventLinks links, AppSecrets secrets, String phoneRegion) {
        this.events = events;
        this.attendances = attendances;
        this.turnout = turnout;
        this.links = links;
        this.secrets = secrets;
        this.phoneRegion = phoneRegion;
        this.attendanceJson = new AttendanceJson(attendances);
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        ctx.json(events.list(user(ctx), p[0], p[1]).osdi("events", this::toJson));
    }

    public void read(Context ctx) {
        ctx.json(toJson(load(ctx)));
    }

    public void create(Context ctx) {
        EventForm form = EventForm.from(Json.body(ctx), EventForm.empty());
        validate(form.validate());
        Event e = events.create(form, user(ctx).id());
        ctx.status(201).header("Location", links.browserUrl(e).replace("/e/", "/api/v1/events/")).json(toJson(e));
    }

    public void update(Context ctx) {
        Event e = load(ctx);
        EventForm form = EventForm.from(Json.body(ctx), EventForm.of(e));
        validate(form.validate());
        ctx.json(toJson(events.update(e.id(), form).orElseThrow(() -> Problem.notFound("Event"))));
    }

    public void turnout(Context ctx) {
        Event e = load(ctx);
        Turnout.Numbers n = turnout.forEvent(e);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pledged", n.pledged());
        m.put("attended", n.attended());
        m.put("walk_ins", n.walkIns());
        m.put("no_shows", n.noShows());
        m.put("flake_rate", n.pledgedStarted() == 0 ? 0.0 : (double) n.noShows() / n.pledgedStarted());
        m.put("turnout_goal", e.turnoutGoal());
        m.put("by_referrer", turnout.byReferrer(e.id()).stream().map(r -> Map.of("referral_code", r.referralCode(),
                "pledged", r.pledged(), "attended", r.attended())).toList());
        ctx.json(m);
    }

    public void listAttendances(Context ctx) {
        Event e = load(ctx);
        int[] p = Paged.params(ctx, 25);
        ctx.json(attendanceJson.page(e.id(), p[0], p[1]));
    }

    public void readAttendance(Context ctx) {
        Event e = load(ctx);
        ctx.json(attendanceJson.toJson(attendance(ctx, e)));
    }

    /** The OSDI record-attendance helper: creates or updates the person; "attended": true makes a walk-in. */
    public void createAttendance(Context ctx) {
        Event e = load(ctx);
        JsonNode body = Json.body(ctx);
        String ref = body.path("referrer_data").path("referrer").asText("");
        PersonInput person = PersonInput.fromOsdi(body.get("person"), ref);
        String statusText = body.path("status").asText("accepted");
        AttendanceStatus status = AttendanceStatus.parse(statusText).filter(s -> s != AttendanceStatus.CANCELLED)
                .orElse(null);
        PledgeForm form = new PledgeForm(person, body.path("guests").asText("0"), body.path("childcare_children").asText("0"),
                body.path("interpretation_language").asText(""), body.path("transport").asBoolean(false),
                body.path("food").asBoolean(false), body.path("access_needs").asText(""));
        List<FieldError> errors = new java.util.ArrayList<>(form.validate(phoneRegion));
        if (status == null) errors.add(new FieldError("status", "event.api.status.invalid"));
        validate(errors.stream().map(x -> new FieldError(x.field().equals("email") ? "person.email_addresses" : x.field(), x.key())).toList());
        String phone = Phones.normalize(person.phone(), phoneRegion).orElse("");
        var origin = new PersonRepository.Origin("event:" + e.id(), "api", secrets.hmac(ctx.ip()));
        boolean existed = PersonRepository.idByEmail(events.dsl(), person.email())
                .map(pid -> events.dsl().fetchExists(ATTENDANCES, ATTENDANCES.EVENT_ID.eq(e.id()).and(ATTENDANCES.PERSON_ID.eq(pid))))
                .orElse(false);
        long id;
        if (body.path("attended").asBoolean(false)) {
            id = attendances.walkIn(e.id(), person, phone, origin, user(ctx).id()).orElseThrow();
        } else {
            id = attendances.pledge(e, form, phone, origin, status).attendanceId();
        }
        ctx.status(existed ? 200 : 201).json(attendanceJson.toJson(attendances.find(e.id(), id).orElseThrow()));
    }

    /** {"attended": true} marks present (once), false takes it back; {"status": "cancelled"} cancels. */
    public void updateAttendance(Context ctx) {
        Event e = load(ctx);
        Attendee a = attendance(ctx, e);
        JsonNode body = Json.body(ctx);
        if (body.has("status")) {
            if (!"cancelled".equals(body.get("status").asText())) {
                throw Problem.validation(List.of(new Problem.Error("status", "can only be changed to cancelled")));
            }
            attendances.cancel(a.id());
        }
        if (body.has("attended")) {
            if (!body.get("attended").isBoolean()) throw Problem.validation(List.of(new Problem.Error("attended", "must be true or false")));
            if (body.get("attended").asBoolean()) attendances.checkIn(e.id(), a.id(), user(ctx).id());
            else attendances.undo(e.id(), a.id());
        }
        ctx.json(attendances.find(e.id(), a.id()).map(attendanceJson::toJson).orElse(Map.of("deleted", true)));
    }

    Map<String, Object> toJson(Event e) {
        Turnout.Numbers n = turnout.forEvent(e);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifiers", List.of("convoca:" + e.id()));
        m.put("id", e.id());
        m.put("created_date", e.createdAt());
        m.put("modified_date", e.updatedAt());
        m.put("title", e.title());
        m.put("title_es", e.titleEs());
        m.put("description", e.description());
        m.put("description_es", e.descriptionEs());
        m.put("start_date", e.startIso());
        m.put("end_date", e.endIso());
        m.put("time_zone", e.timeZone());
        m.put("location", e.location());
        m.put("online_url", e.onlineUrl());
        m.put("capacity", e.capacity());
        m.put("status", e.status());
        m.put("kind", e.kind());
        m.put("campaign_id", e.campaignId());
        m.put("host_user_id", e.hostUserId());
        m.put("turnout_goal", e.turnoutGoal());
        m.put("confidential", e.confidential());
        m.put("recurrence", e.recurrence());
        m.put("series_id", e.seriesId());
        m.put("browser_url", links.browserUrl(e));
        // Accepted attendances: pledges plus walk-ins (a walk-in is an accepted attendance that came).
        m.put("total_accepted", n.pledged() + n.walkIns());
        m.put("total_attended", n.attended());
        return m;
    }

    private static void validate(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw Problem.validation(errors.stream().map(e -> new Problem.Error(jsonField(e.field()), Problem.describe(e.key()))).toList());
        }
    }

    /** Form inputs named as the API names them. */
    private static String jsonField(String formField) {
        return switch (formField) {
            case "start" -> "start_date";
            case "end" -> "end_date";
            default -> formField;
        };
    }

    private Event load(Context ctx) {
        try {
            return events.findVisible(Long.parseLong(ctx.pathParam("id")), user(ctx)).orElseThrow(() -> Problem.notFound("Event"));
        } catch (NumberFormatException e) {
            throw Problem.notFound("Event");
        }
    }

    private Attendee attendance(Context ctx, Event e) {
        try {
            return attendances.find(e.id(), Long.parseLong(ctx.pathParam("attendance"))).orElseThrow(() -> Problem.notFound("Attendance"));
        } catch (NumberFormatException x) {
            throw Problem.notFound("Attendance");
        }
    }

    private static User user(Context ctx) {
        return Access.principal(ctx).orElseThrow().user();
    }

}
