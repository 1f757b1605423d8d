package org.convoca.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecurrenceTest {
    static final ZoneId LA = ZoneId.of("America/Los_Angeles");

    @Test
    void the_second_wednesday_at_six_stays_six_pm_local_across_the_dst_change() {
        // Los Angeles: DST ends 2026-11-01 and starts again 2027-03-14.
        ZonedDateTime first = LocalDateTime.of(2026, 9, 9, 18, 0).atZone(LA);
        List<ZonedDateTime> starts = Recurrence.occurrences("FREQ=MONTHLY;BYDAY=2WE;COUNT=8", first);
        assertThat(starts).extracting(ZonedDateTime::toLocalDate).containsExactly(
                LocalDate.of(2026, 9, 9), LocalDate.of(2026, 10, 14), LocalDate.of(2026, 11, 11),
                LocalDate.of(2026, 12, 9), LocalDate.of(2027, 1, 13), LocalDate.of(2027, 2, 10),
                LocalDate.of(2027, 3, 10), LocalDate.of(2027, 4, 14));
        assertThat(starts).extracting(ZonedDateTime::toLocalTime).containsOnly(LocalTime.of(18, 0));
        // The UTC instant moves by an hour when the clocks do.
        assertThat(starts.get(1).toInstant().toString()).isEqualTo("2026-10-15T01:00:00Z");
        assertThat(starts.get(2).toInstant().toString()).isEqualTo("2026-11-12T02:00:00Z");
        assertThat(starts.get(6).toInstant().toString()).isEqualTo("2027-03-11T02:00:00Z");
        assertThat(starts.get(7).toInstant().toString()).isEqualTo("2027-04-15T01:00:00Z");
    }

    @Test
    void a_weekly_rule_without_an_end_stops_at_the_occurrence_limit() {
        ZonedDateTime first = LocalDateTime.of(2026, 1, 5, 9, 30).atZone(LA);
        assertThat(Recurrence.occurrences("FREQ=WEEKLY", first)).hasSize(Recurrence.MAX_OCCURRENCES);
    }

    @Test
    void an_unreadable_rule_is_refused() {
        assertThat(Recurrence.valid("FREQ=SOMETIMES")).isFalse();
        assertThat(Recurrence.valid("RRULE:FREQ=WEEKLY;COUNT=3")).isTrue();
    }
}
