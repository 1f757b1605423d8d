package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;

import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PetitionApiTest {
    static TestApp app;
    static String token;
    static long campaignId;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        token = app.apiKey(app.createUser("api-organizer@example.org", "organizer"));
        campaignId = app.http().json("POST", "/api/v1/campaigns", token,
                "{\"title\": \"API campaign\", \"slug\": \"api-campaign\", \"status\": \"live\"}").json().path("id").asLong();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static Http.Response create(String slug) {
        return app.http().json("POST", "/api/v1/petitions", token, """
                {"campaign_id": %d, "title": "Fund counselors", "slug": "%s", "status": "open",
                 "petition_text": "Fund a counselor in every school.", "signature_goal": 500,
                 "target": [{"name": "LAUSD Board of Education", "title": "Board"}]}
                """.formatted(campaignId, slug));
    }

    @Test
    void a_petition_created_through_the_api_reads_back_with_the_contract_fields() {
        Http.Response created = create("api-read");
        assertThat(created.status()).isEqualTo(201);
        String path = "/api/v1/petitions/" + created.json().path("id").asLong();
        var p = app.http().json("GET", path, token, null).json();
        assertThat(p.path("identifiers").get(0).asText()).startsWith("convoca:");
        assertThat(p.path("title").asText()).isEqualTo("Fund counselors");
        assertThat(p.path("target").get(0).path("name").asText()).isEqualTo("LAUSD Board of Education");
        assertThat(p.path("signature_goal").asInt()).isEqualTo(500);
        assertThat(p.path("total_signatures").asInt()).isZero();
        assertThat(p.path("browser_url").asText()).isEqualTo(app.baseUrl + "/p/api-read");
        assertThat(p.path("campaign_id").asLong()).isEqualTo(campaignId);
        assertThat(p.path("status").asText()).isEqualTo("open");

        var updated = app.http().json("PUT", path, token, "{\"status\": \"closed\"}").json();
        assertThat(updated.path("status").asText()).isEqualTo("closed");
        assertThat(updated.path("title").asText()).isEqualTo("Fund counselors");
        var list = app.http().json("GET", "/api/v1/petitions", token, null).json();
        assertThat(list.path("_embedded").path("osdi:petitions").size()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void the_record_signature_helper_counts_a_person_once_and_records_the_referrer() {
        long id = create("api-sign").json().path("id").asLong();
        String path = "/api/v1/petitions/" + id + "/signatures";
        var first = app.http().json("POST", path, token, """
                {"person": {"given_name": "Ana", "family_name": "Ruiz",
                 "email_addresses": [{"address": "ana.api@example.org"}]}, "comments": "Yes"}""");
        assertThat(first.status()).isEqualTo(201);
        var again = app.http().json("POST", path, token, """
                {"person": {"email_addresses": [{"address": " ANA.API@example.org"}], "given_name": "A", "family_name": "R"}}""");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("status").asText()).isEqualTo("already_signed");
        assertThat(app.http().json("GET", "/api/v1/petitions/" + id, token, null).json().path("total_signatures").asInt())
                .isEqualTo(1);
        var list = app.http().json("GET", path, token, null).json();
        assertThat(list.path("total_records").asInt()).isEqualTo(1);
        assertThat(list.path("_embedded").path("osdi:signatures").get(0).path("comments").asText()).isEqualTo("Yes");
    }

    @Test
    void a_signature_without_an_email_is_a_validation_problem() {
        long id = create("api-invalid").json().path("id").asLong();
        var r = app.http().json("POST", "/api/v1/petitions/" + id + "/signatures", token,
                "{\"person\": {\"given_name\": \"No\", \"family_name\": \"Email\"}}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().path("errors").get(0).path("field").asText()).isEqualTo("person.email");
    }

    @Test
    void the_signatures_collection_answers_text_csv_with_a_header_row() {
        long id = create("api-csv").json().path("id").asLong();
        app.http().json("POST", "/api/v1/petitions/" + id + "/signatures", token,
                "{\"person\": {\"given_name\": \"-Neg\", \"family_name\": \"Csv\", \"email\": \"csv@example.org\"}}");
        Http.Response csv = app.http().get("/api/v1/petitions/" + id + "/signatures", "Accept", "text/csv",
                "Authorization", "Bearer " + token);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body().lines().toList()).hasSize(2);
        assertThat(csv.body().lines().skip(1).findFirst().orElseThrow()).contains(",'-Neg,Csv,csv@example.org,");
    }

    @Test
    void creating_a_petition_in_a_missing_campaign_is_a_validation_problem() {
        var r = app.http().json("POST", "/api/v1/petitions", token, "{\"campaign_id\": 999999, \"title\": \"X\"}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().path("errors").get(0).path("field").asText()).isEqualTo("campaign_id");
    }
}
