package org.convoca.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.convoca.auth.User;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CheckInTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static long attendanceOf(long eventId, String email) {
        return app.dsl().select(ATTENDANCES.ID).from(ATTENDANCES).join(PEOPLE).on(PEOPLE.ID.eq(ATTENDANCES.PERSON_ID))
                .where(ATTENDANCES.EVENT_ID.eq(eventId), PEOPLE.EMAIL_NORMALIZED.eq(email)).fetchSingle().value1();
    }

    static Http leader(String email) {
        User u = app.createUser(email, "leader");
        Http h = app.http();
        h.login(u.email(), TestApp.PASSWORD);
        return h;
    }

    @Test
    void one_tap_marks_a_pledge_present_and_a_second_tap_counts_nothing_more() {
        Http organizer = app.signedIn("organizer");
        long id = EventPagesTest.createEvent(organizer, EventPagesTest.eventForm("Door"));
        app.http().postRaw("/e/" + id + "/pledge", EventPagesTest.pledge("tap@example.org"));
        long a = attendanceOf(id, "tap@example.org");
        Http.Response page = organizer.page("/admin/events/" + id + "/checkin?q=555-0142");
        assertThat(page.html().select("#a-" + a + " button").text()).isEqualTo("Mark present");
        assertThat(organizer.post("/admin/events/" + id + "/checkin/" + a, Map.of()).status()).isEqualTo(303);
        assertThat(organizer.post("/admin/events/" + id + "/checkin/" + a, Map.of()).status()).isEqualTo(303);
        assertThat(organizer.get("/admin/events/" + id + "/checkin").html().select(".counter").text()).isEqualTo("1 present");
        assertThat(app.dsl().fetchCount(ACTIVITIES, ACTIVITIES.KIND.eq("event.attended").and(ACTIVITIES.SUBJECT_ID.eq(id)))).isEqualTo(1);
    }

    @Test
    void undo_takes_a_check_in_back() {
        Http organizer = app.signedIn("organizer");
        long id = EventPagesTest.createEvent(organizer, EventPagesTest.eventForm("Undo"));
        app.http().postRaw("/e/" + id + "/pledge", EventPagesTest.pledge("undo@example.org"));
        long a = attendanceOf(id, "undo@example.org");
        organizer.page("/admin/events/" + id + "/checkin");
        organizer.post("/admin/events/" + id + "/checkin/" + a, Map.of());
        organizer.post("/admin/events/" + id + "/checkin/" + a + "/undo", Map.of());
        assertThat(app.dsl().select(ATTENDANCES.ATTENDED).from(ATTENDANCES).where(ATTENDANCES.ID.eq(a)).fetchSingle().value1()).isFalse();
        assertThat(app.dsl().fetchCount(ACTIVITIES, ACTIVITIES.KIND.eq("event.attended").and(ACTIVITIES.SUBJECT_ID.eq(id)))).isZero();
    }

    @Test
    void several_phones_checking_in_the_same_person_at_once_count_them_once() throws Exception {
        Http organizer = app.signedIn("organizer");
        long id = EventPagesTest.createEvent(organizer, EventPagesTest.eventForm("Rush"));
        app.http().postRaw("/e/" + id + "/pledge", EventPagesTest.pledge("rush@example.org"));
        long a = attendanceOf(id, "rush@example.org");
        List<Http> phones = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Http h = app.signedIn("organizer");
            h.page("/admin/events/" + id + "/checkin");
            phones.add(h);
        }
        List<Integer> statuses = race(phones, h -> h.post("/admin/events/" + id + "/checkin/" + a, Map.of()).status());
        assertThat(statuses).containsOnly(303);
        assertThat(app.dsl().fetchCount(ACTIVITIES, ACTIVITIES.KIND.eq("event.attended").and(ACTIVITIES.SUBJECT_ID.eq(id)))).isEqualTo(1);
        assertThat(new Turnout(app.dsl()).forEvent(new EventRepository(app.dsl()).find(id).orElseThrow()).attended()).isEqualTo(1);
    }

    @Test
    void the_same_walk_in_added_from_several_phones_at_once_is_one_person_and_one_attendance() throws Exception {
        Http organizer = app.signedIn("organizer");
        long id = EventPagesTest.createEvent(organizer, EventPagesTest.eventForm("Walk-in rush"));
        List<Http> phones = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Http h = app.signedIn("organizer");
            h.page("/admin/events/" + id + "/checkin");
            phones.add(h);
        }
        Map<String, String> walkIn = Map.of("given_name", "Luis", "family_name", "Ortega", "email", "luis.walkin@example.org",
                "phone", "", "ref", "");
        List<Integer> statuses = race(phones, h -> h.post("/admin/events/" + id + "/walkins", walkIn).status());
        assertThat(statuses).containsOnly(303);
        assertThat(app.dsl().fetchCount(PEOPLE, PEOPLE.EMAIL_NORMALIZED.eq("luis.walkin@example.org"))).isEqualTo(1);
        assertThat(app.dsl().fetchCount(ATTENDANCES, ATTENDANCES.EVENT_ID.eq(id))).isEqualTo(1);
        assertThat(app.dsl().fetchCount(ACTIVITIES, ACTIVITIES.KIND.eq("event.attended").and(ACTIVITIES.SUBJECT_ID.eq(id)))).isEqualTo(1);
        Turnout.Numbers n = new Turnout(app.dsl()).forEvent(new EventRepository(app.dsl()).find(id).orElseThrow());
        assertThat(n.walkIns()).isEqualTo(1);
        assertThat(n.pledged()).isZero();
    }

    @Test
    void a_walk_in_added_by_a_leader_is_recruited_by_that_leader() {
        Http organizer = app.signedIn("organizer");
        User leaderUser = app.createUser("host.leader@example.org", "leader");
        Map<String, String> f = EventPagesTest.eventForm("Hosted");
        f.put("host_user_id", String.valueOf(leaderUser.id()));
        long id = EventPagesTest.createEvent(organizer, f);
        Http leader = app.http();
        leader.login("host.leader@example.org", TestApp.PASSWORD);
        Http.Response page = leader.page("/admin/events/" + id + "/checkin");
        String code = page.html().select("#f-ref").attr("value");
        assertThat(code).isNotBlank();
        Http.Response r = leader.post("/admin/events/" + id + "/walkins", Map.of("given_name", "Marta", "family_name", "",
                "email", "marta.door@example.org", "phone", "213 555 0177", "ref", code));
        assertThat(r.status()).isEqualTo(303);
        Long leaderPerson = app.dsl().select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("host.leader@example.org")).fetchSingle().value1();
        assertThat(app.dsl().select(PEOPLE.RECRUITED_BY).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("marta.door@example.org"))
                .fetchSingle().value1()).isEqualTo(leaderPerson);
    }

    @Test
    void a_walk_in_without_an_email_is_refused_with_a_message() {
        Http organizer = app.signedIn("organizer");
        long id = EventPagesTest.createEvent(organizer, EventPagesTest.eventForm("No email"));
        organizer.page("/admin/events/" + id + "/checkin");
        Http.Response r = organizer.post("/admin/events/" + id + "/walkins", Map.of("given_name", "X", "email", ""));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-email-error").text()).isEqualTo("This field is required.");
    }

    @Test
    void people_scan_the_events_qr_code_and_check_themselves_in_once() {
        Http organizer = app.signedIn("organizer");
        Map<String, String> f = EventPagesTest.eventForm("Open door");
        java.time.LocalDateTime soon = java.time.LocalDateTime.now(java.time.ZoneId.of("America/Los_Angeles")).plusMinutes(30)
                .withSecond(0).withNano(0);
        f.put("start", soon.toString());
        f.put("end", soon.plusHours(2).toString());
        long id = EventPagesTest.createEvent(organizer, f);
        Http.Response show = organizer.get("/admin/events/" + id);
        assertThat(show.html().select(".qr-box svg.qr path")).hasSize(1);
        String url = show.html().select(".qr-box a").attr("href");
        assertThat(url).startsWith(app.baseUrl + "/e/" + id + "/here/");

        Http phone = app.http();
        phone.page(url);
        Map<String, String> me = Map.of("given_name", "Eva", "email", "eva.self@example.org", "language", "en");
        assertThat(phone.post(url.substring(app.baseUrl.length()), me).html().select("#checked-in").text())
                .isEqualTo("Welcome! You are checked in.");
        phone.post(url.substring(app.baseUrl.length()), me);
        Turnout.Numbers n = new Turnout(app.dsl()).forEvent(new EventRepository(app.dsl()).find(id).orElseThrow());
        assertThat(n.attended()).isEqualTo(1);
        assertThat(n.walkIns()).isEqualTo(1);
        assertThat(app.http().get("/e/" + id + "/here/not-the-token").status()).isEqualTo(404);
    }

    @Test
    void the_qr_check_in_is_closed_long_before_the_event() {
        Http organizer = app.signedIn("organizer");
        long id = EventPagesTest.createEvent(organizer, EventPagesTest.eventForm("Next week"));
        String url = organizer.get("/admin/events/" + id).html().select(".qr-box a").attr("href");
        assertThat(app.http().get(url).status()).isEqualTo(409);
    }

    interface Call {
        int apply(Http h) throws Exception;
    }

    /** Fires one request per client at the same moment. */
    static List<Integer> race(List<Http> clients, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (Http h : clients) {
                Callable<Integer> c = () -> {
                    go.await();
                    return call.apply(h);
                };
                futures.add(pool.submit(c));
            }
            go.countDown();
            List<Integer> out = new ArrayList<>();
            for (Future<Integer> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
