package org.convoca.event;

import org.convoca.web.Inputs;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.convoca.web.FieldError;

/**
 * What an organizer submits for an event, from the admin form or the API, as strings. Start and
 * end are wall-clock times in {@code timeZone} (an API client may also send an offset).
 */
public record EventForm(String title, String titleEs, String description, String descriptionEs, String start,
                        String end, String timeZone, String location, String onlineUrl, String capacity,
                        String campaignId, String hostUserId, String turnoutGoal, boolean confidential,
                        String recurrence, String reminders, String kind) {

    public static final String DEFAULT_ZONE = "America/Los_Angeles";
    private static final Pattern OFFSET = Pattern.compile("(\\d+)\\s*([dhm])");

    public static EventForm empty() {
        return new EventForm("", "", "", "", "", "", DEFAULT_ZONE, "", "", "", "", "", "", false, "", "2d, 3h", "event");
    }

    public static EventForm of(Event e) {
        return new EventForm(e.title(), e.titleEs(), e.description(), e.descriptionEs(), e.startLocal(), e.endLocal(),
                e.timeZone(), e.location(), e.onlineUrl(), str(e.capacity()), str(e.campaignId()), str(e.hostUserId()),
                str(e.turnoutGoal()), e.confidential(), e.recurrence(), remindersText(e.reminderMinutes()), e.kind());
    }

    public static EventForm from(Context ctx) {
        return new EventForm(Inputs.form(ctx, "title"), Inputs.form(ctx, "title_es"), Inputs.form(ctx, "description"), Inputs.form(ctx, "description_es"),
                Inputs.form(ctx, "start"), Inputs.form(ctx, "end"), Inputs.form(ctx, "time_zone"), Inputs.form(ctx, "location"), Inputs.form(ctx, "online_url"),
                Inputs.form(ctx, "capacity"), Inputs.form(ctx, "campaign_id"), Inputs.form(ctx, "host_user_id"), Inputs.form(ctx, "turnout_goal"),
                !Inputs.form(ctx, "confidential").isBlank(), Inputs.form(ctx, "recurrence"), Inputs.form(ctx, "reminders"), Inputs.form(ctx, "kind")).opened();
    }

    /** The API body over a starting point: absent keys keep the base's value. */
    public static EventForm from(JsonNode j, EventForm b) {
        return new EventForm(Inputs.json(j, "title", b.title), Inputs.json(j, "title_es", b.titleEs), Inputs.json(j, "description", b.description),
                Inputs.json(j, "description_es", b.descriptionEs), Inputs.json(j, "start_date", b.start), Inputs.json(j, "end_date", b.end),
                Inputs.json(j, "time_zone", b.timeZone), Inputs.json(j, "location", b.location), Inputs.json(j, "online_url", b.onlineUrl),
                Inputs.json(j, "capacity", b.capacity), Inputs.json(j, "campaign_id", b.campaignId), Inputs.json(j, "host_user_id", b.hostUserId),
                Inputs.json(j, "turnout_goal", b.turnoutGoal),
                j.has("confidential") ? j.get("confidential").asBoolean(false) : b.confidential,
                Inputs.json(j, "recurrence", b.recurrence), b.reminders, Inputs.json(j, "kind", b.kind)).opened();
    }

    /** An action without a start opens for pledges now (in its zone). */
    EventForm opened() {
        if (!"action".equals(kind) || !start.isBlank() || zone() == null) return this;
        String now = LocalDateTime.now(zone()).withSecond(0).withNano(0).toString();
        return new EventForm(title, titleEs, description, descriptionEs, now, end, timeZone, location, onlineUrl, capacity,
                campaignId, hostUserId, turnoutGoal, confidential, recurrence, reminders, kind);
    }

    public String kindValue() {
        return "action".equals(kind) ? "action" : "event";
    }

    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>();
        if (title.isBlank()) errors.add(new FieldError("title", "field.required"));
        Inputs.tooLong(errors, "title", title, 200);
        Inputs.tooLong(errors, "title_es", titleEs, 200);
        Inputs.tooLong(errors, "description", description, 50_000);
        Inputs.tooLong(errors, "description_es", descriptionEs, 50_000);
        Inputs.tooLong(errors, "location", location, 500);
        ZoneId zone = zone();
        if (zone == null) errors.add(new FieldError("time_zone", "event.time_zone.invalid"));
        ZonedDateTime s = zone == null ? null : parse(start, zone);
        ZonedDateTime e = zone == null ? null : parse(end, zone);
        if (start.isBlank()) errors.add(new FieldError("start", "field.required"));
        else if (zone != null && s == null) errors.add(new FieldError("start", "event.datetime.invalid"));
        if (end.isBlank()) errors.add(new FieldError("end", "field.required"));
        else if (zone != null && e == null) errors.add(new FieldError("end", "event.datetime.invalid"));
        if (s != null && e != null && !e.isAfter(s)) errors.add(new FieldError("end", "event.end_before_start"));
        if (!onlineUrl.isBlank() && !Inputs.isHttpsUrl(onlineUrl)) errors.add(new FieldError("online_url", "field.url.https"));
        number(errors, "capacity", capacity, 1, 100_000);
        number(errors, "turnout_goal", turnoutGoal, 0, 100_000);
        number(errors, "campaign_id", campaignId, 1, Long.MAX_VALUE);
        number(errors, "host_user_id", hostUserId, 1, Long.MAX_VALUE);
        if (!recurrence.isBlank() && !Recurrence.valid(recurrence)) errors.add(new FieldError("recurrence", "event.recurrence.invalid"));
        if (reminderMinutes() == null) errors.add(new FieldError("reminders", "event.reminders.invalid"));
        if (!kind.isBlank() && !kind.equals("event") && !kind.equals("action")) errors.add(new FieldError("kind", "event.kind.invalid"));
        return errors;
    }

    public ZoneId zone() {
        try {
            return timeZone.isBlank() ? null : ZoneId.of(timeZone.strip());
        } catch (DateTimeException e) {
            return null;
        }
    }

    public ZonedDateTime startAt() {
        return parse(start, zone());
    }

    public ZonedDateTime endAt() {
        return parse(end, zone());
    }

    public Integer capacityValue() {
        return capacity.isBlank() ? null : Integer.valueOf(capacity.strip());
    }

    public Integer goalValue() {
        return turnoutGoal.isBlank() ? null : Integer.valueOf(turnoutGoal.strip());
    }

    public Long campaignValue() {
        return campaignId.isBlank() ? null : Long.valueOf(campaignId.strip());
    }

    public Long hostValue() {
        return hostUserId.isBlank() ? null : Long.valueOf(hostUserId.strip());
    }

    public String rrule() {
        String r = recurrence.strip();
        return r.regionMatches(true, 0, "RRULE:", 0, 6) ? r.substring(6) : r;
    }

    /** "2d, 3h, 30m" as minutes before the start, longest first; null when unreadable. Blank: none. */
    public List<Integer> reminderMinutes() {
        List<Integer> out = new ArrayList<>();
        String rest = reminders.strip().toLowerCase();
        if (rest.isEmpty()) return out;
        for (String part : rest.split("[,\\s]+(?=\\d)")) {
            Matcher m = OFFSET.matcher(part.strip());
            if (!m.matches() || m.group(1).length() > 4) return null;
            int n = Integer.parseInt(m.group(1));
            int minutes = switch (m.group(2)) {
                case "d" -> n * 1440;
                case "h" -> n * 60;
                default -> n;
            };
            if (minutes <= 0 || minutes > 30 * 1440) return null;
            if (!out.contains(minutes)) out.add(minutes);
        }
        if (out.size() > 5) return null;
        out.sort(java.util.Comparator.reverseOrder());
        return out;
    }

    static String remindersText(List<Integer> minutes) {
        return minutes.stream().map(m -> m % 1440 == 0 ? m / 1440 + "d" : m % 60 == 0 ? m / 60 + "h" : m + "m")
                .collect(Collectors.joining(", "));
    }

    /** A local "2026-12-09T18:00" in the zone, or an ISO instant with an offset (API). */
    private static ZonedDateTime parse(String value, ZoneId zone) {
        if (value == null || value.isBlank() || zone == null) return null;
        String v = value.strip();
        try {
            return LocalDateTime.parse(v).atZone(zone);
        } catch (DateTimeException notLocal) {
            try {
                return OffsetDateTime.parse(v).atZoneSameInstant(zone);
            } catch (DateTimeException e) {
                return null;
            }
        }
    }

    private static void number(List<FieldError> errors, String field, String value, long min, long max) {
        if (value.isBlank()) return;
        try {
            long n = Long.parseLong(value.strip());
            if (n < min || n > max) errors.add(new FieldError(field, "event.number.invalid"));
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "event.number.invalid"));
        }
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }
}
