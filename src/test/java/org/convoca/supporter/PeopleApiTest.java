package org.convoca.supporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PeopleApiTest {
    static TestApp app;
    static String token;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
        token = app.apiKey(app.createUser("api-organizer@example.org", "organizer"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static org.convoca.testsupport.Http.Response api(String method, String path, String json) {
        return app.http().json(method, path, token, json);
    }

    static String signup(String email, String given, String... tags) {
        String t = tags.length == 0 ? "" : ", \"add_tags\": [\"" + String.join("\",\"", tags) + "\"]";
        return "{\"person\": {\"given_name\": \"" + given + "\", \"email_addresses\": [{\"address\": \"" + email
                + "\", \"status\": \"subscribed\"}], \"phone_numbers\": [{\"number\": \"(213) 555-0133\"}],"
                + " \"postal_addresses\": [{\"postal_code\": \"90011\"}], \"languages_spoken\": [\"es\"],"
                + " \"custom_fields\": {\"grade\": \"3\"}}" + t + "}";
    }

    @Test
    void the_signup_helper_creates_then_updates_the_same_person_by_email_and_adds_tags() {
        var created = api("POST", "/api/v1/people", signup("Yesenia@Example.org", "Yesenia", "Healing circle"));
        assertThat(created.status()).isEqualTo(201);
        var p = created.json();
        assertThat(p.path("email_addresses").path(0).path("address").asText()).isEqualTo("Yesenia@Example.org");
        assertThat(p.path("email_addresses").path(0).path("status").asText()).isEqualTo("subscribed");
        assertThat(p.path("email_addresses").path(0).path("primary").asBoolean()).isTrue();
        assertThat(p.path("phone_numbers").path(0).path("number").asText()).isEqualTo("+12135550133");
        assertThat(p.path("postal_addresses").path(0).path("postal_code").asText()).isEqualTo("90011");
        assertThat(p.path("languages_spoken").path(0).asText()).isEqualTo("es");
        assertThat(p.path("custom_fields").path("grade").asText()).isEqualTo("3");
        assertThat(p.path("tags").path(0).asText()).isEqualTo("Healing circle");
        assertThat(p.path("identifiers").path(0).asText()).startsWith("convoca:");
        assertThat(p.path("referral_code").asText()).hasSize(12);
        assertThat(p.has("created_date") && p.has("modified_date")).isTrue();

        var again = api("POST", "/api/v1/people", "{\"person\": {\"email_addresses\": [{\"address\": \"yesenia@example.org\"}]}, \"add_tags\": [\"Volunteer\"]}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("identifiers")).isEqualTo(p.path("identifiers"));
        assertThat(again.json().path("given_name").asText()).as("nothing blanked").isEqualTo("Yesenia");
        assertThat(again.json().path("tags").toString()).contains("Healing circle", "Volunteer");
    }

    @Test
    void the_collection_filters_by_email_in_any_case_by_tag_and_by_modified_date() {
        api("POST", "/api/v1/people", signup("filter.one@example.org", "One", "Filtered"));
        api("POST", "/api/v1/people", signup("filter.two@example.org", "Two"));
        var byEmail = api("GET", "/api/v1/people?email=FILTER.ONE@example.org", null).json();
        assertThat(byEmail.path("total_records").asInt()).isEqualTo(1);
        assertThat(byEmail.path("_embedded").path("osdi:people").path(0).path("given_name").asText()).isEqualTo("One");
        var byTag = api("GET", "/api/v1/people?tag=filtered", null).json();
        assertThat(byTag.path("_embedded").path("osdi:people").findValuesAsText("given_name")).containsExactly("One");
        assertThat(api("GET", "/api/v1/people?modified_since=2999-01-01T00:00:00Z", null).json().path("total_records").asInt()).isZero();
        assertThat(api("GET", "/api/v1/people?modified_since=2000-01-01", null).json().path("total_records").asInt()).isGreaterThanOrEqualTo(2);
        var bad = api("GET", "/api/v1/people?modified_since=yesterday", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).contains("application/problem+json");
    }

    @Test
    void put_changes_only_the_given_fields_and_delete_erases_the_person() {
        long id = api("POST", "/api/v1/people", signup("putme@example.org", "Before")).json().path("identifiers").path(0).asText()
                .transform(s -> Long.parseLong(s.substring("convoca:".length())));
        var put = api("PUT", "/api/v1/people/" + id, "{\"family_name\": \"After\", \"email_addresses\": [{\"address\": \"putme@example.org\", \"status\": \"unsubscribed\"}]}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().path("given_name").asText()).isEqualTo("Before");
        assertThat(put.json().path("family_name").asText()).isEqualTo("After");
        assertThat(put.json().path("email_addresses").path(0).path("status").asText()).isEqualTo("unsubscribed");

        var invalid = api("PUT", "/api/v1/people/" + id, "{\"email_addresses\": [{\"address\": \"nope\"}]}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().path("errors").path(0).path("field").asText()).isEqualTo("email_addresses");

        assertThat(api("DELETE", "/api/v1/people/" + id, null).status()).isEqualTo(200);
        assertThat(app.dsl().select(PEOPLE.GIVEN_NAME).from(PEOPLE).where(PEOPLE.ID.eq(id)).fetchOne().value1()).isEmpty();
        api("POST", "/api/v1/people", signup("PUTME@example.org", "Back"));
        assertThat(app.dsl().select(PEOPLE.GIVEN_NAME).from(PEOPLE).where(PEOPLE.ID.eq(id)).fetchOne().value1())
                .as("a later signup does not resurrect the person").isEmpty();
        assertThat(api("GET", "/api/v1/people?email=putme@example.org", null).json().path("total_records").asInt()).isZero();
        assertThat(api("GET", "/api/v1/people/999999", null).status()).isEqualTo(404);
    }

    @Test
    void a_signup_with_a_bad_email_gets_a_problem_with_the_field() {
        var r = api("POST", "/api/v1/people", "{\"person\": {\"email_addresses\": [{\"address\": \"not-an-email\"}]}}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.header("Content-Type")).contains("application/problem+json");
        assertThat(r.json().path("errors").path(0).path("field").asText()).isEqualTo("email_addresses");
    }

    @Test
    void the_people_collection_answers_csv_when_asked() throws Exception {
        api("POST", "/api/v1/people", signup("csv.person@example.org", "-2+3"));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.baseUrl + "/api/v1/people?email=csv.person@example.org"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/csv").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        String[] lines = r.body().split("\r?\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("id,given_name");
        assertThat(lines[1]).contains(",'-2+3,", "csv.person@example.org", "'+12135550133");
    }

    @Test
    void tags_and_lists_are_osdi_collections() {
        api("POST", "/api/v1/people", signup("tagged@example.org", "Tagged", "Spanish speakers"));
        var tags = api("GET", "/api/v1/tags", null).json();
        assertThat(tags.path("_embedded").path("osdi:tags").findValuesAsText("name")).contains("Spanish speakers");
        var list = api("POST", "/api/v1/lists", "{\"name\": \"Roosevelt parents\"}");
        assertThat(list.status()).isEqualTo(201);
        String id = list.json().path("identifiers").path(0).asText().substring("convoca:".length());
        assertThat(api("GET", "/api/v1/lists/" + id, null).json().path("name").asText()).isEqualTo("Roosevelt parents");
        assertThat(api("GET", "/api/v1/lists", null).json().path("total_records").asInt()).isEqualTo(1);
        assertThat(api("POST", "/api/v1/lists", "{\"name\": \"\"}").status()).isEqualTo(422);
    }

    @Test
    void a_leader_token_sees_only_the_people_recruited_with_their_code() {
        String leaderCode = api("POST", "/api/v1/people", signup("leader.lupe@example.org", "Lupe")).json().path("referral_code").asText();
        api("POST", "/api/v1/people", "{\"person\": {\"given_name\": \"Recruited\", \"email_addresses\": [{\"address\": \"recruited.by.lupe@example.org\"}]},"
                + " \"referrer_data\": {\"referrer\": \"" + leaderCode + "\"}}");
        long other = api("POST", "/api/v1/people", signup("not.lupes@example.org", "Other")).json().path("identifiers").path(0).asText()
                .transform(s -> Long.parseLong(s.substring("convoca:".length())));
        String leader = app.apiKey(app.createUser("leader.lupe@example.org", "leader"));
        var mine = app.http().json("GET", "/api/v1/people", leader, null).json();
        assertThat(mine.path("_embedded").path("osdi:people").findValuesAsText("given_name")).containsExactly("Recruited");
        assertThat(app.http().json("GET", "/api/v1/people/" + other, leader, null).status()).isEqualTo(404);
        assertThat(app.http().json("DELETE", "/api/v1/people/" + other, leader, null).status()).isEqualTo(403);
        assertThat(app.http().json("GET", "/api/v1/people", null, null).status()).isEqualTo(401);
    }
}
