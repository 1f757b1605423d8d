package org.convoca.event;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

/**
 * Occurrences of an RRULE with lib-recur, expanded in the event's own time zone: "the second
 * Wednesday at 6 pm" stays 6 pm local on both sides of a DST change (the UTC instant moves).
 */
public final class Recurrence {
    /** Never more occurrences than this, nor further ahead than {@link #HORIZON}. */
    public static final int MAX_OCCURRENCES = 60;
    public static final Duration HORIZON = Duration.ofDays(2 * 366);

    private Recurrence() {
    }

    /** Whether the rule parses (strictly, as RFC 5545 says). */
    public static boolean valid(String rrule) {
        return parse(rrule).isPresent();
    }

    /** The starts of every occurrence, the first included, in the zone of {@code first}. */
    public static List<ZonedDateTime> occurrences(String rrule, ZonedDateTime first) {
        RecurrenceRule rule = parse(rrule).orElseThrow(() -> new IllegalArgumentException("invalid RRULE"));
        ZoneId zone = first.getZone();
        RecurrenceRuleIterator it = rule.iterator(first.toInstant().toEpochMilli(), TimeZone.getTimeZone(zone));
        Instant limit = first.toInstant().plus(HORIZON);
        List<ZonedDateTime> out = new ArrayList<>();
        while (it.hasNext() && out.size() < MAX_OCCURRENCES) {
            Instant next = Instant.ofEpochMilli(it.nextMillis());
            if (next.isAfter(limit)) break;
            out.add(next.atZone(zone));
        }
        return out;
    }

    private static Optional<RecurrenceRule> parse(String rrule) {
        if (rrule == null || rrule.isBlank() || rrule.length() > 300) return Optional.empty();
        String r = rrule.strip();
        if (r.regionMatches(true, 0, "RRULE:", 0, 6)) r = r.substring(6);
        try {
            return Optional.of(new RecurrenceRule(r, RecurrenceRule.RfcMode.RFC5545_STRICT));
        } catch (InvalidRecurrenceRuleException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
