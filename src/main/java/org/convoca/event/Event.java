package org.convoca.event;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** One event occurrence. A recurring series is several of these sharing {@code seriesId}. */
public record Event(long id, Long campaignId, Long seriesId, String title, String titleEs, String description,
                    String descriptionEs, OffsetDateTime startAt, OffsetDateTime endAt, String timeZone,
                    String location, String onlineUrl, Integer capacity, Long hostUserId, Integer turnoutGoal,
                    boolean confidential, String recurrence, List<Integer> reminderMinutes, String status,
                    OffsetDateTime createdAt, OffsetDateTime updatedAt, String kind) {

    private static final DateTimeFormatter EN = DateTimeFormatter.ofPattern("EEEE, MMMM d, yyyy, h:mm a", Locale.ENGLISH);
    private static final DateTimeFormatter ES = DateTimeFormatter.ofPattern("EEEE d 'de' MMMM 'de' yyyy, H:mm", Locale.forLanguageTag("es"));
    private static final DateTimeFormatter TIME_EN = DateTimeFormatter.ofPattern("h:mm a (zzz)", Locale.ENGLISH);
    private static final DateTimeFormatter TIME_ES = DateTimeFormatter.ofPattern("H:mm (zzz)", Locale.forLanguageTag("es"));

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    public ZonedDateTime start() {
        return startAt.atZoneSameInstant(zone());
    }

    public ZonedDateTime end() {
        return endAt.atZoneSameInstant(zone());
    }

    public String title(String lang) {
        return "es".equals(lang) && !titleEs.isBlank() ? titleEs : title;
    }

    public String description(String lang) {
        return "es".equals(lang) && !descriptionEs.isBlank() ? descriptionEs : description;
    }

    /** "Wednesday, December 9, 2026, 6:00 PM – 8:00 PM (PST)", in the event's own time zone. */
    public String when(String lang) {
        boolean es = "es".equals(lang);
        return (es ? ES : EN).format(start()) + " – " + (es ? TIME_ES : TIME_EN).format(end());
    }

    /** A pledge to do something by a due date ({@link #endAt}), not a gathering. */
    public boolean action() {
        return "action".equals(kind);
    }

    /** What reminders count back from: the start of a gathering, the due date of an action. */
    public OffsetDateTime remindFrom() {
        return action() ? endAt : startAt;
    }

    /** "Wednesday, December 9, 2026": an action's due date, in the event's zone. */
    public String due(String lang) {
        return DateTimeFormatter.ofPattern("es".equals(lang) ? "EEEE d 'de' MMMM 'de' yyyy" : "EEEE, MMMM d, yyyy",
                "es".equals(lang) ? Locale.forLanguageTag("es") : Locale.ENGLISH).format(end());
    }

    public boolean cancelled() {
        return "cancelled".equals(status);
    }

    public boolean recurring() {
        return seriesId != null;
    }

    /** The id all occurrences of this series share (its own id for a one-off). */
    public long seriesKey() {
        return seriesId == null ? id : seriesId;
    }

    public String startIso() {
        return start().toOffsetDateTime().toString();
    }

    public String endIso() {
        return end().toOffsetDateTime().toString();
    }

    /** For datetime-local inputs: local wall time in the event's zone. */
    public String startLocal() {
        return start().toLocalDateTime().toString();
    }

    /** "2026-12-09 18:00", local, for tables. */
    public String shortStart() {
        return start().toLocalDate() + " " + start().toLocalTime();
    }

    public String endLocal() {
        return end().toLocalDateTime().toString();
    }
}
