package org.convoca.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.EVENTS;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventPagesTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static Map<String, String> eventForm(String title) {
        LocalDateTime start = LocalDateTime.now().plusDays(10).withHour(18).withMinute(0).withSecond(0).withNano(0);
        Map<String, String> f = new HashMap<>();
        f.put("title", title);
        f.put("title_es", "Reunión de la junta escolar");
        f.put("description", "Bring your **neighbors**.");
        f.put("description_es", "Traiga a sus **vecinos**.");
        f.put("start", start.toString());
        f.put("end", start.plusHours(2).toString());
        f.put("time_zone", "America/Los_Angeles");
        f.put("location", "LAUSD HQ, 333 S Beaudry Ave");
        f.put("online_url", "");
        f.put("capacity", "");
        f.put("turnout_goal", "20");
        f.put("reminders", "2d, 3h");
        f.put("recurrence", "");
        return f;
    }

    static long createEvent(Http organizer, Map<String, String> form) {
        organizer.page("/admin/events/new");
        Http.Response r = organizer.post("/admin/events", form);
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        return Long.parseLong(r.location().replaceAll("\\D", ""));
    }

    static Map<String, String> pledge(String email) {
        Map<String, String> f = new HashMap<>();
        f.put("given_name", "Rosa");
        f.put("family_name", "Méndez");
        f.put("email", email);
        f.put("phone", "(213) 555-0142");
        f.put("language", "es");
        f.put("guests", "2");
        f.put("childcare_children", "1");
        f.put("interpretation_language", "Spanish");
        f.put("transport", "1");
        return f;
    }

    @Test
    void an_organizer_creates_an_event_and_its_public_page_shows_it_in_both_languages() {
        Http organizer = app.signedIn("organizer");
        long id = createEvent(organizer, eventForm("School board meeting"));
        Http visitor = app.http();
        Http.Response en = visitor.get("/e/" + id + "?lang=en");
        assertThat(en.status()).isEqualTo(200);
        assertThat(en.html().select("h1").text()).isEqualTo("School board meeting");
        assertThat(en.html().select(".prose strong").text()).isEqualTo("neighbors");
        assertThat(en.html().select(".when").text()).contains("6:00 PM");
        Http.Response es = visitor.get("/e/" + id + "?lang=es");
        assertThat(es.html().select("h1").text()).isEqualTo("Reunión de la junta escolar");
        assertThat(es.html().select(".when").text()).contains("18:00");
    }

    @Test
    void the_calendar_file_is_a_valid_ics_with_utc_times_and_escaped_text() {
        Http organizer = app.signedIn("organizer");
        long id = createEvent(organizer, eventForm("Meeting; with, commas"));
        Http.Response ics = app.http().get("/e/" + id + "/calendar.ics");
        assertThat(ics.status()).isEqualTo(200);
        assertThat(ics.header("Content-Type")).startsWith("text/calendar");
        assertThat(ics.body()).startsWith("BEGIN:VCALENDAR\r\n").contains("SUMMARY:Meeting\\; with\\, commas\r\n")
                .containsPattern("DTSTART:\\d{8}T\\d{6}Z\r\n").contains("LOCATION:LAUSD HQ\\, 333 S Beaudry Ave");
        assertThat(ics.body().split("\r\n")).allMatch(line -> line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 75);
    }

    @Test
    void a_recurring_event_becomes_one_row_per_occurrence_at_the_same_local_time() {
        Http organizer = app.signedIn("organizer");
        Map<String, String> f = eventForm("Healing circle");
        f.put("start", "2026-09-09T18:00");
        f.put("end", "2026-09-09T19:30");
        f.put("recurrence", "FREQ=MONTHLY;BYDAY=2WE;COUNT=6");
        long id = createEvent(organizer, f);
        var rows = app.dsl().selectFrom(EVENTS).where(EVENTS.SERIES_ID.eq(id)).orderBy(EVENTS.START_AT).fetch();
        assertThat(rows).hasSize(6);
        ZoneId la = ZoneId.of("America/Los_Angeles");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.getStartAt().atZoneSameInstant(la).getHour()).isEqualTo(18);
            assertThat(r.getEndAt().atZoneSameInstant(la).toLocalTime().toString()).isEqualTo("19:30");
        });
    }

    @Test
    void a_form_with_errors_is_shown_again_with_messages_next_to_the_fields() {
        Http organizer = app.signedIn("organizer");
        organizer.page("/admin/events/new");
        Map<String, String> f = eventForm("");
        f.put("time_zone", "Mars/Olympus");
        f.put("recurrence", "FREQ=SOMETIMES");
        Http.Response r = organizer.post("/admin/events", f);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-title-error").text()).isEqualTo("This field is required.");
        assertThat(r.html().select("#f-time_zone-error").text()).contains("time zone");
        assertThat(r.html().select("#f-recurrence-error").text()).isNotEmpty();
        assertThat(r.html().select("#f-location").attr("value")).isEqualTo("LAUSD HQ, 333 S Beaudry Ave");
    }

    @Test
    void a_pledge_creates_the_person_records_the_activity_and_shows_in_the_hosts_headcounts() {
        Http organizer = app.signedIn("organizer");
        long id = createEvent(organizer, eventForm("Board vote"));
        Http visitor = app.http();
        visitor.page("/e/" + id);
        Http.Response r = visitor.postRaw("/e/" + id + "/pledge", pledge("rosa.pledge@example.org"));
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.location()).contains("/thanks?status=accepted");
        assertThat(visitor.get(r.location()).html().select("h1").text()).isEqualTo("¡Gracias! Nos vemos ahí.");
        var person = app.dsl().selectFrom(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("rosa.pledge@example.org")).fetchSingle();
        assertThat(person.getPhone()).isEqualTo("+12135550142");
        assertThat(app.dsl().fetchCount(ACTIVITIES, ACTIVITIES.PERSON_ID.eq(person.getId())
                .and(ACTIVITIES.KIND.eq("event.pledged")).and(ACTIVITIES.SUBJECT_ID.eq(id)))).isEqualTo(1);

        Http.Response host = organizer.get("/admin/events/" + id);
        assertThat(host.html().select("#need-chairs").text()).isEqualTo("3");
        assertThat(host.html().select("#need-children").text()).isEqualTo("1");
        assertThat(host.html().select("#need-transport").text()).isEqualTo("1");
        assertThat(host.html().select(".need-interpretation").text()).isEqualTo("1");
    }

    @Test
    void pledging_twice_keeps_one_attendance_with_the_latest_answers() {
        Http organizer = app.signedIn("organizer");
        long id = createEvent(organizer, eventForm("Twice"));
        Http visitor = app.http();
        visitor.postRaw("/e/" + id + "/pledge", pledge("twice@example.org"));
        Map<String, String> again = pledge("TWICE@example.org");
        again.put("guests", "0");
        visitor.postRaw("/e/" + id + "/pledge", again);
        var rows = app.dsl().selectFrom(ATTENDANCES).where(ATTENDANCES.EVENT_ID.eq(id)).fetch();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getGuests()).isZero();
    }

    @Test
    void a_full_event_puts_new_pledges_on_the_waitlist_and_a_cancellation_frees_the_seat() {
        Http organizer = app.signedIn("organizer");
        Map<String, String> f = eventForm("Small room");
        f.put("capacity", "3");
        long id = createEvent(organizer, f);
        Http visitor = app.http();
        assertThat(visitor.postRaw("/e/" + id + "/pledge", pledge("first@example.org")).location()).contains("status=accepted");
        assertThat(visitor.postRaw("/e/" + id + "/pledge", pledge("second@example.org")).location()).contains("status=waitlisted");
        assertThat(visitor.get("/e/" + id + "?lang=en").html().select("#pledge-title").text()).isEqualTo("Join the waitlist");

        long first = app.dsl().select(ATTENDANCES.ID).from(ATTENDANCES).join(PEOPLE).on(PEOPLE.ID.eq(ATTENDANCES.PERSON_ID))
                .where(PEOPLE.EMAIL_NORMALIZED.eq("first@example.org")).fetchSingle().value1();
        new AttendanceRepository(app.dsl()).cancel(first);
        String second = app.dsl().select(ATTENDANCES.STATUS).from(ATTENDANCES).join(PEOPLE).on(PEOPLE.ID.eq(ATTENDANCES.PERSON_ID))
                .where(PEOPLE.EMAIL_NORMALIZED.eq("second@example.org")).fetchSingle().value1();
        assertThat(second).isEqualTo("accepted");
    }

    @Test
    void many_pledges_at_once_never_take_more_seats_than_the_room_has() throws Exception {
        Http organizer = app.signedIn("organizer");
        Map<String, String> f = eventForm("Last seats");
        f.put("capacity", "5");
        long id = createEvent(organizer, f);
        java.util.List<Http> phones = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) phones.add(app.http());
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        CheckInTest.race(phones, h -> {
            Map<String, String> p = pledge("seat" + n.incrementAndGet() + "@example.org");
            p.put("guests", "0");
            return h.postRaw("/e/" + id + "/pledge", p).status();
        });
        assertThat(app.dsl().fetchCount(ATTENDANCES, ATTENDANCES.EVENT_ID.eq(id).and(ATTENDANCES.STATUS.eq("accepted")))).isEqualTo(5);
        assertThat(app.dsl().fetchCount(ATTENDANCES, ATTENDANCES.EVENT_ID.eq(id).and(ATTENDANCES.STATUS.eq("waitlisted")))).isEqualTo(7);
    }

    @Test
    void a_pledge_with_a_bad_email_is_refused_next_to_the_field_and_stores_nothing() {
        Http organizer = app.signedIn("organizer");
        long id = createEvent(organizer, eventForm("Bad input"));
        Map<String, String> bad = pledge("not-an-email");
        bad.put("guests", "many");
        Http.Response r = app.http().postRaw("/e/" + id + "/pledge", bad);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-email-error").text()).isNotEmpty();
        assertThat(r.html().select("#f-guests-error").text()).isNotEmpty();
        assertThat(r.html().select("#f-given_name").attr("value")).isEqualTo("Rosa");
        assertThat(app.dsl().fetchCount(ATTENDANCES, ATTENDANCES.EVENT_ID.eq(id))).isZero();
    }

    @Test
    void an_action_pledge_has_a_due_date_instead_of_a_meeting_time_and_reminders_count_back_from_it() {
        Http organizer = app.signedIn("organizer");
        Map<String, String> f = eventForm("Speak at public comment");
        f.put("kind", "action");
        f.put("start", "");
        f.put("end", LocalDateTime.now().plusDays(5).withHour(17).withMinute(0).withSecond(0).withNano(0).toString());
        long id = createEvent(organizer, f);
        var page = app.http().get("/e/" + id + "?lang=en").html();
        assertThat(page.select(".when").text()).startsWith("Due by ");
        assertThat(page.select("#pledge-title").text()).isEqualTo("I will do this");
        assertThat(page.select("#f-guests")).isEmpty();
        assertThat(page.select("a[download]")).isEmpty();
        assertThat(app.http().postRaw("/e/" + id + "/pledge", pledge("speaker@example.org")).status()).isEqualTo(303);
        var due = app.dsl().select(EVENTS.END_AT).from(EVENTS).where(EVENTS.ID.eq(id)).fetchSingle().value1();
        var reminders = app.dsl().select(org.convoca.db.schema.Tables.EVENT_REMINDERS.DUE_AT)
                .from(org.convoca.db.schema.Tables.EVENT_REMINDERS).orderBy(org.convoca.db.schema.Tables.EVENT_REMINDERS.DUE_AT)
                .fetch(org.convoca.db.schema.Tables.EVENT_REMINDERS.DUE_AT);
        assertThat(reminders).extracting(java.time.OffsetDateTime::toInstant)
                .contains(due.minusDays(2).toInstant(), due.minusHours(3).toInstant());
    }

    @Test
    void a_referral_code_on_the_pledge_credits_the_referrer() {
        Http organizer = app.signedIn("organizer");
        long id = createEvent(organizer, eventForm("Referred"));
        Http visitor = app.http();
        visitor.postRaw("/e/" + id + "/pledge", pledge("leader.ana@example.org"));
        String code = app.dsl().select(PEOPLE.REFERRAL_CODE).from(PEOPLE)
                .where(PEOPLE.EMAIL_NORMALIZED.eq("leader.ana@example.org")).fetchSingle().value1();
        Map<String, String> f = pledge("friend.of.ana@example.org");
        f.put("ref", code);
        visitor.postRaw("/e/" + id + "/pledge", f);
        var friend = app.dsl().selectFrom(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("friend.of.ana@example.org")).fetchSingle();
        assertThat(friend.getRecruitedBy()).isNotNull();
        assertThat(app.dsl().select(ATTENDANCES.REFERRER_ID).from(ATTENDANCES)
                .where(ATTENDANCES.PERSON_ID.eq(friend.getId())).fetchSingle().value1()).isEqualTo(friend.getRecruitedBy());
    }
}
