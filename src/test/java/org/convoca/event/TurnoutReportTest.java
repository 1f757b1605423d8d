package org.convoca.event;

import org.convoca.supporter.Ladder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.CAMPAIGNS;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.convoca.auth.User;
import org.convoca.supporter.PersonInput;
import org.convoca.supporter.PersonRepository;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Report numbers against a fixture counted by hand:
 * <pre>
 * Event A (yesterday, goal 5): P1 P2 P3 pledged, P4 pledged then cancelled; P1 P2 came; W1 walked in.
 *   → pledged 3, attended 3, walk-ins 1, no-shows 1 (P3), flake 33%, goal 3/5.
 * Event B (next week): P1 P2 pledged. → pledged 2, no-shows 0 (not started).
 * Leader L brought P1 and P2 (their code on the pledge). → pledged 4, attended 2, no-shows 0, flake 0%.
 * Campaign C holds A and B → pledged 3 people (P1 P2 P3), attended 3 people (P1 P2 W1), signed 0.
 * Series S (no campaign): three weekly sessions, all past; R1 came to all three, R2 to one. → R1 completed.
 * Ladder: leader 1 (L), attended 3+ 1 (R1), attended once 4 (P1 P2 W1 R2), none 2 (P3 P4).
 * </pre>
 */
class TurnoutReportTest {
    static TestApp app;
    static long eventA;
    static long eventB;
    static long series;
    static User leader;
    static long campaign;

    @BeforeAll
    static void fixture() {
        app = TestApp.start();
        var dsl = app.dsl();
        User staff = app.createUser("door@example.org", "organizer");
        leader = app.createUser("l@example.org", "leader");
        campaign = dsl.insertInto(CAMPAIGNS).set(CAMPAIGNS.SLUG, "board").set(CAMPAIGNS.TITLE, "Board campaign")
                .returning(CAMPAIGNS.ID).fetchSingle().getId();
        EventRepository events = new EventRepository(dsl);
        AttendanceRepository attendances = new AttendanceRepository(dsl);
        LocalDateTime now = LocalDateTime.now(ZoneId.of("America/Los_Angeles")).withSecond(0).withNano(0);
        eventA = events.create(form("A", now.minusDays(1), "5", ""), staff.id()).id();
        eventB = events.create(form("B", now.plusDays(7), "", ""), staff.id()).id();
        Event a = events.find(eventA).orElseThrow();
        Event b = events.find(eventB).orElseThrow();

        String code = pledge(attendances, a, "l@example.org", "");  // L's own person, for the code
        attendances.cancel(attendanceOf(eventA, "l@example.org"));
        long p1 = idOf(pledge(attendances, a, "p1@example.org", code));
        long p2 = idOf(pledge(attendances, a, "p2@example.org", code));
        pledge(attendances, a, "p3@example.org", "");
        pledge(attendances, a, "p4@example.org", "");
        attendances.cancel(attendanceOf(eventA, "p4@example.org"));
        attendances.checkIn(eventA, attendanceOf(eventA, "p1@example.org"), staff.id());
        attendances.checkIn(eventA, attendanceOf(eventA, "p2@example.org"), staff.id());
        attendances.walkIn(eventA, person("w1@example.org", ""), "", origin(), staff.id());
        pledge(attendances, b, "p1@example.org", code);
        pledge(attendances, b, "p2@example.org", code);
        assertThat(p1).isNotEqualTo(p2);

        series = events.create(form("S", now.minusDays(21), "", "FREQ=WEEKLY;COUNT=3"), staff.id()).id();
        for (Event s : events.series(series)) {
            attendances.walkIn(s.id(), person("r1@example.org", ""), "", origin(), staff.id());
        }
        attendances.walkIn(series, person("r2@example.org", ""), "", origin(), staff.id());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static EventForm form(String title, LocalDateTime start, String goal, String rrule) {
        return new EventForm(title, "", "", "", start.toString(), start.plusHours(2).toString(), "America/Los_Angeles",
                "", "", "", rrule.isEmpty() ? String.valueOf(campaign) : "", rrule.isEmpty() ? String.valueOf(leader.id()) : "", goal,
                false, rrule, "", "event");
    }

    static PersonInput person(String email, String ref) {
        return new PersonInput("", "", email, "", "", "", false, ref);
    }

    static PersonRepository.Origin origin() {
        return new PersonRepository.Origin("test", "form", null);
    }

    /** Pledges and returns the person's referral code. */
    static String pledge(AttendanceRepository attendances, Event e, String email, String ref) {
        attendances.pledge(e, new PledgeForm(person(email, ref), "0", "0", "", false, false, ""), "", origin(),
                AttendanceStatus.ACCEPTED);
        return app.dsl().select(org.convoca.db.schema.Tables.PEOPLE.REFERRAL_CODE).from(org.convoca.db.schema.Tables.PEOPLE)
                .where(org.convoca.db.schema.Tables.PEOPLE.EMAIL_NORMALIZED.eq(email)).fetchSingle().value1();
    }

    static long idOf(String code) {
        return PersonRepository.referrerId(app.dsl(), code);
    }

    static long attendanceOf(long eventId, String email) {
        return app.dsl().select(ATTENDANCES.ID).from(ATTENDANCES).join(PEOPLE).on(PEOPLE.ID.eq(ATTENDANCES.PERSON_ID))
                .where(ATTENDANCES.EVENT_ID.eq(eventId), PEOPLE.EMAIL_NORMALIZED.eq(email)).fetchSingle().value1();
    }

    @Test
    void event_turnout_matches_the_hand_count() {
        Event a = new EventRepository(app.dsl()).find(eventA).orElseThrow();
        Turnout.Numbers n = new Turnout(app.dsl()).forEvent(a);
        assertThat(List.of(n.pledged(), n.attended(), n.walkIns(), n.noShows(), n.flakePercent(), n.goalPercent()))
                .containsExactly(3, 3, 1, 1, 33, 60);
        Turnout.Numbers future = new Turnout(app.dsl()).forEvent(new EventRepository(app.dsl()).find(eventB).orElseThrow());
        assertThat(List.of(future.pledged(), future.attended(), future.noShows())).containsExactly(2, 0, 0);
    }

    @Test
    void the_reports_page_shows_the_hand_counted_numbers_per_event_leader_and_campaign() {
        Http organizer = app.signedIn("organizer");
        Document page = organizer.get("/admin/events/reports").html();
        var rowA = page.selectFirst("#report-events tr[data-event=" + eventA + "]");
        assertThat(List.of(rowA.select(".pledged").text(), rowA.select(".attended").text(), rowA.select(".walk-ins").text(),
                rowA.select(".no-shows").text(), rowA.select(".flake").text(), rowA.select(".goal").text()))
                .containsExactly("3", "3", "1", "1", "33%", "3 / 5");
        var rowL = page.selectFirst("#report-leaders tr[data-leader=" + leader.id() + "]");
        assertThat(List.of(rowL.select(".pledged").text(), rowL.select(".attended").text(), rowL.select(".no-shows").text(),
                rowL.select(".flake").text())).containsExactly("4", "2", "0", "0%");
        assertThat(page.select(".funnel[data-campaign=" + campaign + "]").text()).isEqualTo("0 signed · 3 pledged · 3 attended");
        assertThat(page.select("svg.chart")).isNotEmpty();
    }

    @Test
    void a_leader_goal_set_by_an_organizer_shows_as_goal_versus_actual() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/events/reports");
        organizer.post("/admin/events/reports/leaders/" + leader.id() + "/goal", Map.of("turnout_goal", "4"));
        var rowL = organizer.get("/admin/events/reports").html().selectFirst("#report-leaders tr[data-leader=" + leader.id() + "]");
        assertThat(rowL.select(".goal").text()).startsWith("2 /");
        assertThat(rowL.select("input[name=turnout_goal]").attr("value")).isEqualTo("4");
    }

    @Test
    void the_regulars_of_a_series_show_who_came_to_every_session() {
        Http organizer = app.signedIn("organizer");
        Document page = organizer.get("/admin/events/" + series + "/regulars").html();
        assertThat(page.select("#regulars tbody tr").eachText()).containsExactly("r1@example.org 3 / 3 ✓", "r2@example.org 1 / 3");
    }

    @Test
    void the_ladder_puts_each_person_on_the_highest_rung_they_reached() {
        Map<String, Integer> ladder = new TurnoutReports(app.dsl(), new Turnout(app.dsl())).ladder();
        assertThat(ladder).containsEntry("leader", 1).containsEntry("recruiter", 0).containsEntry("attended_3", 1)
                .containsEntry("attended_once", 4).containsEntry("signed", 0);
        assertThat(ladder.get("none")).isEqualTo(2);
    }

    @Test
    void a_segment_condition_finds_everyone_on_a_rung_or_higher() {
        assertThat(app.dsl().fetchCount(PEOPLE, Ladder.ATTENDED_ONCE.atLeast())).as("L, R1, P1 P2 W1 R2").isEqualTo(6);
        assertThat(app.dsl().fetchCount(PEOPLE, Ladder.ATTENDED_3.atLeast())).as("L, R1").isEqualTo(2);
    }

    @Test
    void the_csv_export_has_one_row_per_event_and_neutralises_formulas() {
        Http organizer = app.signedIn("organizer");
        Http.Response csv = organizer.get("/admin/events/reports/turnout.csv");
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.body().split("\r\n")[0]).startsWith("event_id,title,start");
        assertThat(csv.body()).contains(eventA + ",A,");
        assertThat(Csv.cell("=HYPERLINK(1)")).isEqualTo("'=HYPERLINK(1)");
        Http.Response roster = organizer.get("/admin/events/" + eventA + "/attendances.csv");
        assertThat(roster.body().split("\r\n")).as("header, P1 P2 P3 W1; cancellations left out").hasSize(1 + 4);
    }
}
