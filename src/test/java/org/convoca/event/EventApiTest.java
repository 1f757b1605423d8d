package org.convoca.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.convoca.auth.User;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventApiTest {
    static TestApp app;
    static String token;
    static Http api;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        User organizer = app.createUser("api.organizer@example.org", "organizer");
        token = app.apiKey(organizer);
        api = app.http();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static JsonNode createEvent(String title) {
        Http.Response r = api.json("POST", "/api/v1/events", token, """
                {"title": "%s", "description": "Come", "start_date": "2030-03-12T18:00", "end_date": "2030-03-12T20:00",
                 "time_zone": "America/Los_Angeles", "location": "Library", "capacity": 50}
                """.formatted(title));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    @Test
    void an_event_created_through_the_api_reads_back_with_the_contract_fields() {
        JsonNode e = createEvent("API meeting");
        assertThat(e.path("identifiers").get(0).asText()).startsWith("convoca:");
        assertThat(e.path("start_date").asText()).isEqualTo("2030-03-12T18:00-07:00");
        assertThat(e.path("time_zone").asText()).isEqualTo("America/Los_Angeles");
        assertThat(e.path("capacity").asInt()).isEqualTo(50);
        assertThat(e.path("browser_url").asText()).isEqualTo(app.baseUrl + "/e/" + e.path("id").asLong());
        assertThat(e.path("total_accepted").asInt()).isZero();
        JsonNode read = api.json("GET", "/api/v1/events/" + e.path("id").asLong(), token, null).json();
        assertThat(read.path("title").asText()).isEqualTo("API meeting");
        JsonNode updated = api.json("PUT", "/api/v1/events/" + e.path("id").asLong(), token, "{\"location\": \"Gym\"}").json();
        assertThat(updated.path("location").asText()).isEqualTo("Gym");
        assertThat(updated.path("title").asText()).isEqualTo("API meeting");
    }

    @Test
    void attendances_are_recorded_marked_present_and_counted_in_the_turnout() {
        long id = createEvent("Turnout via API").path("id").asLong();
        Http.Response pledged = api.json("POST", "/api/v1/events/" + id + "/attendances", token, """
                {"person": {"given_name": "Ana", "email_addresses": [{"address": "ana.api@example.org"}]}, "status": "accepted"}
                """);
        assertThat(pledged.status()).as(pledged.body()).isEqualTo(201);
        String code = app.dsl().select(org.convoca.db.schema.Tables.PEOPLE.REFERRAL_CODE).from(org.convoca.db.schema.Tables.PEOPLE)
                .where(org.convoca.db.schema.Tables.PEOPLE.EMAIL_NORMALIZED.eq("ana.api@example.org")).fetchSingle().value1();
        api.json("POST", "/api/v1/events/" + id + "/attendances", token, """
                {"person": {"email_addresses": [{"address": "friend.api@example.org"}]}, "referrer_data": {"referrer": "%s"}}
                """.formatted(code));
        JsonNode friend = api.json("GET", "/api/v1/events/" + id + "/attendances", token, null).json()
                .path("_embedded").path("osdi:attendances").findParents("referrer_data").stream()
                .filter(n -> n.path("referrer_data").has("referrer")).findFirst().orElseThrow();
        assertThat(friend.path("referrer_data").path("referrer").asText()).isEqualTo(code);
        Http.Response walkIn = api.json("POST", "/api/v1/events/" + id + "/attendances", token, """
                {"person": {"email_addresses": [{"address": "walkin.api@example.org"}]}, "attended": true}
                """);
        assertThat(walkIn.json().path("walk_in").asBoolean()).isTrue();
        long anaAttendance = pledged.json().path("id").asLong();
        Http.Response marked = api.json("PUT", "/api/v1/events/" + id + "/attendances/" + anaAttendance, token, "{\"attended\": true}");
        assertThat(marked.json().path("attended").asBoolean()).isTrue();

        JsonNode t = api.json("GET", "/api/v1/events/" + id + "/turnout", token, null).json();
        assertThat(t.path("pledged").asInt()).isEqualTo(2);
        assertThat(t.path("attended").asInt()).isEqualTo(2);
        assertThat(t.path("walk_ins").asInt()).isEqualTo(1);
        assertThat(t.path("no_shows").asInt()).as("the event has not started").isZero();
        assertThat(t.path("by_referrer").get(0).path("referral_code").asText()).isEqualTo(code);
        assertThat(t.path("by_referrer").get(0).path("pledged").asInt()).isEqualTo(1);
        JsonNode e = api.json("GET", "/api/v1/events/" + id, token, null).json();
        assertThat(e.path("total_accepted").asInt()).isEqualTo(3);
        assertThat(e.path("total_attended").asInt()).isEqualTo(2);
        assertThat(api.json("GET", "/api/v1/events/" + id + "/attendances", token, null).json().path("total_records").asInt()).isEqualTo(3);
    }

    @Test
    void bad_input_gets_a_problem_with_the_fields_never_a_500() {
        Http.Response r = api.json("POST", "/api/v1/events", token, "{\"title\": \"\", \"time_zone\": \"Nowhere/City\"}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().path("errors").findValuesAsText("field")).contains("title", "time_zone", "start_date");
        long id = createEvent("Bad attendance").path("id").asLong();
        Http.Response a = api.json("POST", "/api/v1/events/" + id + "/attendances", token, "{\"person\": {}, \"status\": \"maybe\"}");
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.json().path("errors").findValuesAsText("field")).contains("person.email_addresses", "status");
        assertThat(api.json("POST", "/api/v1/events/" + id + "/attendances", token, "not json").status()).isEqualTo(400);
        assertThat(api.json("GET", "/api/v1/events/abc", token, null).status()).isEqualTo(404);
        assertThat(api.json("GET", "/api/v1/events", null, null).status()).isEqualTo(401);
    }
}
