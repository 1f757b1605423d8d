package org.convoca.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.Map;
import org.convoca.auth.User;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LeaderVisibilityTest {
    static TestApp app;
    static Http organizer;
    static User ana;
    static User ben;
    static long anasEvent;
    static long bensEvent;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        organizer = app.signedIn("organizer");
        ana = app.createUser("ana.leader@example.org", "leader");
        ben = app.createUser("ben.leader@example.org", "leader");
        anasEvent = hosted("Ana's meeting", ana);
        bensEvent = hosted("Ben's meeting", ben);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static long hosted(String title, User host) {
        Map<String, String> f = EventPagesTest.eventForm(title);
        f.put("host_user_id", String.valueOf(host.id()));
        return EventPagesTest.createEvent(organizer, f);
    }

    static Http as(User u) {
        Http h = app.http();
        h.login(u.email(), TestApp.PASSWORD);
        return h;
    }

    @Test
    void a_leader_sees_their_own_event_and_gets_404_for_anyone_elses() {
        Http leader = as(ana);
        assertThat(leader.get("/admin/events/" + anasEvent).status()).isEqualTo(200);
        assertThat(leader.get("/admin/events/" + bensEvent).status()).isEqualTo(404);
        assertThat(leader.get("/admin/events/" + bensEvent + "/checkin").status()).isEqualTo(404);
        leader.page("/admin/events/" + anasEvent + "/checkin");
        assertThat(leader.post("/admin/events/" + bensEvent + "/walkins", Map.of("email", "x@example.org")).status()).isEqualTo(404);
        assertThat(leader.get("/admin/events").body()).contains("Ana&#39;s meeting").doesNotContain("Ben&#39;s meeting");
    }

    @Test
    void a_leader_cannot_create_or_edit_events() {
        Http leader = as(ana);
        assertThat(leader.get("/admin/events/new").status()).isEqualTo(403);
        assertThat(leader.get("/admin/events/" + anasEvent + "/edit").status()).isEqualTo(403);
    }

    @Test
    void a_leaders_api_token_sees_only_their_own_events() {
        String token = app.apiKey(ana);
        Http api = app.http();
        var list = api.json("GET", "/api/v1/events", token, null).json();
        assertThat(list.path("total_records").asInt()).isEqualTo(1);
        assertThat(list.path("_embedded").path("osdi:events").get(0).path("title").asText()).isEqualTo("Ana's meeting");
        assertThat(api.json("GET", "/api/v1/events/" + bensEvent, token, null).status()).isEqualTo(404);
        assertThat(api.json("GET", "/api/v1/events/" + bensEvent + "/turnout", token, null).status()).isEqualTo(404);
        assertThat(api.json("POST", "/api/v1/events/" + bensEvent + "/attendances", token,
                "{\"person\":{\"email_addresses\":[{\"address\":\"z@example.org\"}]}}").status()).isEqualTo(404);
        assertThat(api.json("POST", "/api/v1/events", token, "{\"title\":\"x\"}").status()).isEqualTo(403);
    }

    @Test
    void the_leader_page_lists_only_the_people_recruited_with_their_code_with_call_and_text_links() {
        Http leader = as(ana);
        Http.Response page = leader.page("/lead");
        String code = page.html().select("#referral-code").text();
        assertThat(page.html().select(".share a").eachAttr("href")).contains(app.baseUrl + "/e/" + anasEvent + "?ref=" + code);
        Map<String, String> mine = EventPagesTest.pledge("anas.friend@example.org");
        mine.put("ref", code);
        app.http().postRaw("/e/" + anasEvent + "/pledge", mine);
        app.http().postRaw("/e/" + anasEvent + "/pledge", EventPagesTest.pledge("nobodys.friend@example.org"));

        Http.Response again = leader.get("/lead");
        assertThat(again.html().select(".person strong").eachText()).containsExactly("Rosa Méndez");
        assertThat(again.html().select(".person a[href^=tel:]").attr("href")).isEqualTo("tel:+12135550142");
        assertThat(again.html().select(".person a[href^=sms:]").attr("href")).isEqualTo("sms:+12135550142");
        assertThat(again.html().select(".person .meta").text()).contains("Pledged 1");
        assertThat(again.html().select(".person .level").attr("data-level")).isEqualTo("none");
        assertThat(as(ben).get("/lead").html().select(".person strong").eachText()).doesNotContain("Rosa Méndez");
    }

    @Test
    void a_leader_adds_someone_they_talked_to_and_they_become_the_leaders_person() {
        Http leader = as(ben);
        leader.page("/lead");
        Http.Response r = leader.post("/lead/people", Map.of("given_name", "Carmen", "family_name", "Ruiz",
                "email", "carmen.talked@example.org", "phone", "213-555-0199", "language", "es"));
        assertThat(r.status()).isEqualTo(303);
        Long benPerson = app.dsl().select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("ben.leader@example.org")).fetchSingle().value1();
        var carmen = app.dsl().selectFrom(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("carmen.talked@example.org")).fetchSingle();
        assertThat(carmen.getRecruitedBy()).isEqualTo(benPerson);
        assertThat(carmen.getLanguage()).isEqualTo("es");
        assertThat(leader.get("/lead").html().select(".person strong").eachText()).contains("Carmen Ruiz");
    }
}
