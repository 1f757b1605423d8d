package org.convoca.supporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.sql.Connection;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.convoca.event.AttendanceRepository;
import org.convoca.event.AttendanceStatus;
import org.convoca.event.Event;
import org.convoca.event.EventForm;
import org.convoca.event.EventRepository;
import org.convoca.event.PledgeForm;
import org.convoca.supporter.SegmentFilter.All;
import org.convoca.supporter.SegmentFilter.Any;
import org.convoca.supporter.SegmentFilter.AttendedAtLeast;
import org.convoca.supporter.SegmentFilter.AttendedEvent;
import org.convoca.supporter.SegmentFilter.HasTag;
import org.convoca.supporter.SegmentFilter.Language;
import org.convoca.supporter.SegmentFilter.Not;
import org.convoca.supporter.SegmentFilter.PledgedEvent;
import org.convoca.supporter.SegmentFilter.SignedPetition;
import org.convoca.testsupport.TestApp;
import org.jooq.Condition;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-person "events attended" counter (V070's trigger on activities) that "attended at least N"
 * segments read, kept right through every path that changes attendance, and segments compiled to
 * their fast forms giving exactly the people the timeline says.
 */
class AttendedCounterTest {
    static TestApp app;
    static long staff;
    static EventRepository events;
    static AttendanceRepository attendances;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
        staff = app.createUser("door.counter@example.org", "organizer").id();
        events = new EventRepository(app.dsl());
        attendances = new AttendanceRepository(app.dsl());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static Event event(String title) {
        LocalDateTime start = LocalDateTime.now(ZoneId.of("America/Los_Angeles")).withSecond(0).withNano(0).minusDays(1);
        return events.create(new EventForm(title, "", "", "", start.toString(), start.plusHours(2).toString(),
                "America/Los_Angeles", "", "", "", "", "", "", false, "", "", "event"), staff);
    }

    static PersonInput input(String email) {
        return new PersonInput("", "", email, "", "", "", false, "");
    }

    static PersonRepository.Origin origin() {
        return new PersonRepository.Origin("test", "form", null);
    }

    static long pledge(Event e, String email) {
        return attendances.pledge(e, new PledgeForm(input(email), "0", "0", "", false, false, ""), "", origin(),
                AttendanceStatus.ACCEPTED).attendanceId();
    }

    static long personId(String email) {
        return app.dsl().select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq(email)).fetchSingle().value1();
    }

    static int counter(long personId) {
        return app.dsl().select(PEOPLE.EVENTS_ATTENDED).from(PEOPLE).where(PEOPLE.ID.eq(personId)).fetchSingle().value1();
    }

    static Set<Long> matching(SegmentFilter f) {
        return Set.copyOf(app.dsl().select(PEOPLE.ID).from(PEOPLE).where(SegmentCompiler.compile(f)).fetch(PEOPLE.ID));
    }

    @Test
    void check_ins_walk_ins_and_undoing_a_check_in_keep_the_count_of_different_events() {
        Event a = event("Counter A");
        Event b = event("Counter B");
        Event c = event("Counter C");
        long pledgeA = pledge(a, "ana.counter@example.org");
        pledge(b, "ana.counter@example.org");
        long ana = personId("ana.counter@example.org");
        assertThat(counter(ana)).as("a pledge is not attendance").isZero();

        attendances.checkIn(a.id(), pledgeA, staff);
        attendances.walkIn(b.id(), input("ana.counter@example.org"), "", origin(), staff);  // her pledge, checked in at the door
        long walkInC = attendances.walkIn(c.id(), input("ana.counter@example.org"), "", origin(), staff).orElseThrow();
        assertThat(counter(ana)).isEqualTo(3);
        assertThat(matching(new AttendedAtLeast(3))).contains(ana);

        // A second event.attended row for the same event (a re-import of a sign-in sheet) counts once.
        app.dsl().transaction(t -> Activities.record(t.dsl(), ana, "event.attended", a.id(), Map.of()));
        assertThat(counter(ana)).isEqualTo(3);

        attendances.undo(c.id(), walkInC);
        assertThat(counter(ana)).isEqualTo(2);
        assertThat(matching(new AttendedAtLeast(3))).doesNotContain(ana);
        assertThat(matching(new AttendedAtLeast(2))).contains(ana);
        attendances.undo(a.id(), pledgeA);
        assertThat(counter(ana)).as("undo removes both rows of event A").isEqualTo(1);
    }

    @Test
    void merging_two_people_counts_an_event_both_attended_once() {
        Event a = event("Merge A");
        Event b = event("Merge B");
        Event c = event("Merge C");
        attendances.walkIn(a.id(), input("keep.counter@example.org"), "", origin(), staff);
        attendances.walkIn(b.id(), input("keep.counter@example.org"), "", origin(), staff);
        attendances.walkIn(b.id(), input("drop.counter@example.org"), "", origin(), staff);
        attendances.walkIn(c.id(), input("drop.counter@example.org"), "", origin(), staff);
        long keep = personId("keep.counter@example.org");
        long drop = personId("drop.counter@example.org");
        assertThat(counter(keep)).isEqualTo(2);
        assertThat(counter(drop)).isEqualTo(2);

        new PersonMerge(app.dsl()).merge(keep, drop, "test");

        assertThat(counter(keep)).isEqualTo(3);
        assertThat(matching(new AttendedAtLeast(3))).contains(keep).doesNotContain(drop);
    }

    @Test
    void an_erased_person_keeps_the_aggregate_count_but_leaves_every_segment() {
        Event a = event("Erase A");
        attendances.walkIn(a.id(), input("erase.counter@example.org"), "", origin(), staff);
        long gone = personId("erase.counter@example.org");
        assertThat(matching(new AttendedAtLeast(1))).contains(gone);

        new PersonEdits(app.dsl()).erase(gone, "test");

        assertThat(counter(gone)).isEqualTo(1);
        assertThat(matching(new AttendedAtLeast(1))).doesNotContain(gone);
        assertThat(matching(new Any(List.of(new AttendedEvent(a.id()), new SignedPetition(1))))).doesNotContain(gone);
    }

    @Test
    void two_attendances_of_one_person_written_at_the_same_moment_both_count() throws Exception {
        long person = PersonRepository.upsert(app.dsl(), input("race.counter@example.org"), "", origin()).personId();
        try (Connection one = app.db.dataSource().getConnection(); Connection two = app.db.dataSource().getConnection()) {
            one.setAutoCommit(false);
            two.setAutoCommit(false);
            // The first transaction's trigger holds the person's row, uncommitted.
            Activities.record(DSL.using(one), person, "event.attended", 8101L, Map.of());
            int secondPid = DSL.using(two).fetchSingle("select pg_backend_pid()").into(Integer.class);
            var second = CompletableFuture.runAsync(() -> Activities.record(DSL.using(two), person, "event.attended", 8102L, Map.of()));
            // Wait (on a condition, not a clock) until the second one queues behind the first.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (app.dsl().fetchCount(DSL.table("pg_stat_activity"),
                    DSL.field("pid").eq(secondPid), DSL.field("wait_event_type").eq("Lock")) == 0) {
                assertThat(System.nanoTime()).as("the second write waits for the first").isLessThan(deadline);
                Thread.onSpinWait();
            }
            one.commit();
            second.get(10, TimeUnit.SECONDS);
            two.commit();
        }
        assertThat(counter(person)).isEqualTo(2);
    }

    /**
     * Random timelines (double rows, several kinds), then every segment shape compared with the
     * definition read straight off the timeline: correlated EXISTS per filter and a distinct count.
     */
    @Test
    void compiled_segments_give_exactly_the_people_the_timeline_says() {
        Random random = new Random(7);
        app.dsl().transaction(t -> {
            for (int i = 0; i < 60; i++) {
                long p = PersonRepository.upsert(t.dsl(), new PersonInput("", "", "same" + i + "@example.org", "", "", i % 2 == 0 ? "es" : "en",
                        false, ""), "", origin()).personId();
                if (i % 3 == 0) TagRepository.add(t.dsl(), p, "Same");
                for (int k = random.nextInt(8); k > 0; k--) {
                    String kind = List.of("petition.signed", "event.pledged", "event.attended", "email.sent").get(random.nextInt(4));
                    Activities.record(t.dsl(), p, kind, 9000L + random.nextInt(4), Map.of());
                }
            }
        });
        List<SegmentFilter> segments = List.of(
                new AttendedAtLeast(1), new AttendedAtLeast(2), new AttendedAtLeast(3),
                new Any(List.of(new SignedPetition(9001), new AttendedEvent(9002))),
                new Any(List.of(new SignedPetition(9001), new PledgedEvent(9003), new HasTag("Same"))),
                new Any(List.of(new AttendedEvent(9000), new AttendedAtLeast(3))),
                new All(List.of(new HasTag("Same"), new Language("es"), new AttendedAtLeast(2))),
                new Not(new Any(List.of(new SignedPetition(9002), new AttendedEvent(9001)))),
                new All(List.of(new PledgedEvent(9000), new Not(new AttendedEvent(9000)))));
        for (SegmentFilter f : segments) {
            Set<Long> expected = Set.copyOf(app.dsl().select(PEOPLE.ID).from(PEOPLE)
                    .where(PEOPLE.ERASED_AT.isNull().and(timeline(f))).fetch(PEOPLE.ID));
            assertThat(matching(f)).as(f.toString()).isEqualTo(expected);
        }
        assertThat(matching(new AttendedAtLeast(1))).as("the fixture exercises the counter").isNotEmpty();
    }

    /** The definitions as they read the timeline before the counter and the semi-join. */
    private static Condition timeline(SegmentFilter f) {
        if (f instanceof All a) return DSL.and(a.filters().stream().map(AttendedCounterTest::timeline).toList());
        if (f instanceof Any a) return DSL.or(a.filters().stream().map(AttendedCounterTest::timeline).toList());
        if (f instanceof Not n) return DSL.not(timeline(n.filter()));
        if (f instanceof SignedPetition s) return did("petition.signed", s.petitionId());
        if (f instanceof PledgedEvent e) return did("event.pledged", e.eventId());
        if (f instanceof AttendedEvent e) return did("event.attended", e.eventId());
        if (f instanceof AttendedAtLeast n) return DSL.field(DSL.select(DSL.countDistinct(ACTIVITIES.SUBJECT_ID)).from(ACTIVITIES)
                .where(ACTIVITIES.KIND.eq("event.attended"), ACTIVITIES.PERSON_ID.eq(PEOPLE.ID))).ge(n.count());
        return SegmentCompiler.condition(f);
    }

    private static Condition did(String kind, long subject) {
        return DSL.exists(DSL.selectOne().from(ACTIVITIES)
                .where(ACTIVITIES.KIND.eq(kind), ACTIVITIES.SUBJECT_ID.eq(subject), ACTIVITIES.PERSON_ID.eq(PEOPLE.ID)));
    }
}
