package org.convoca.event;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A careful, minimal RFC 5545 writer for one event: CRLF line ends, TEXT escaping (backslash,
 * semicolon, comma, newline), lines folded at 75 octets without splitting a UTF-8 character, and
 * times in UTC so no VTIMEZONE block is needed (calendars show them in the reader's zone).
 */
final class Ics {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private Ics() {
    }

    static String event(Event e, String lang, String url) {
        StringBuilder sb = new StringBuilder();
        line(sb, "BEGIN:VCALENDAR");
        line(sb, "VERSION:2.0");
        line(sb, "PRODID:-//Convoca//Events//EN");
        line(sb, "CALSCALE:GREGORIAN");
        line(sb, "METHOD:PUBLISH");
        line(sb, "BEGIN:VEVENT");
        line(sb, "UID:event-" + e.id() + "@convoca");
        line(sb, "DTSTAMP:" + UTC.format(Instant.now()));
        line(sb, "DTSTART:" + UTC.format(e.startAt().toInstant()));
        line(sb, "DTEND:" + UTC.format(e.endAt().toInstant()));
        line(sb, "SUMMARY:" + text(e.title(lang)));
        String where = e.location().isBlank() ? e.onlineUrl() : e.location();
        if (!where.isBlank()) line(sb, "LOCATION:" + text(where));
        line(sb, "DESCRIPTION:" + text(e.description(lang) + (e.onlineUrl().isBlank() ? "" : "\n\n" + e.onlineUrl())));
        line(sb, "URL:" + url);
        if (e.cancelled()) line(sb, "STATUS:CANCELLED");
        line(sb, "END:VEVENT");
        line(sb, "END:VCALENDAR");
        return sb.toString();
    }

    static String text(String s) {
        return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
    }

    /** Folds at 75 octets: continuation lines start with one space (RFC 5545 §3.1). */
    static void line(StringBuilder sb, String content) {
        int octets = 0;
        for (int i = 0; i < content.length(); ) {
            int cp = content.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (octets + len > 75) {
                sb.append("\r\n ");
                octets = 1;
            }
            sb.appendCodePoint(cp);
            octets += len;
            i += Character.charCount(cp);
        }
        sb.append("\r\n");
    }
}
