package org.convoca.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CampaignApiTest {
    static TestApp app;
    static String token;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
        token = app.apiKey(app.createUser("api-" + System.nanoTime() + "@example.org", "organizer"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    Http.Response call(String method, String path, String body) {
        return app.http().json(method, path, token, body);
    }

    @Test
    void a_campaign_is_created_read_listed_and_partially_updated() {
        Http.Response created = call("POST", "/api/v1/campaigns", """
                {"title": "Counselors, not cops", "summary": "More counselors", "description": "**Now**",
                 "target": [{"name": "LAUSD Board of Education"}], "status": "live", "start_date": "2026-12-01"}""");
        assertThat(created.status()).isEqualTo(201);
        JsonNode c = created.json();
        String id = c.get("identifiers").get(0).asText().replace("convoca:", "");
        assertThat(created.location()).endsWith("/api/v1/campaigns/" + id);
        assertThat(c.get("browser_url").asText()).isEqualTo(app.baseUrl + "/c/counselors-not-cops");
        assertThat(c.get("target").get(0).get("name").asText()).isEqualTo("LAUSD Board of Education");
        assertThat(c.get("created_date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*");

        Http.Response updated = call("PUT", "/api/v1/campaigns/" + id, "{\"summary\": \"Two counselors per school\"}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("summary").asText()).isEqualTo("Two counselors per school");
        assertThat(updated.json().get("title").asText()).isEqualTo("Counselors, not cops");
        assertThat(updated.json().get("start_date").asText()).isEqualTo("2026-12-01");

        assertThat(call("GET", "/api/v1/campaigns/" + id, null).json().get("summary").asText()).isEqualTo("Two counselors per school");
        JsonNode list = call("GET", "/api/v1/campaigns?page=1&per_page=1", null).json();
        assertThat(list.get("per_page").asInt()).isEqualTo(1);
        assertThat(list.get("total_records").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(list.get("_embedded").get("osdi:campaigns")).hasSize(1);
        assertThat(app.http().get("/c/counselors-not-cops").status()).isEqualTo(200);
    }

    @Test
    void bad_input_gets_problem_details_never_a_500() {
        Http.Response invalid = call("POST", "/api/v1/campaigns", "{\"title\": \"\", \"status\": \"bogus\", \"image_url\": \"javascript:alert(1)\"}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.header("Content-Type")).startsWith("application/problem+json");
        assertThat(invalid.json().get("errors").findValuesAsText("field")).contains("title", "status", "image_url");

        assertThat(call("POST", "/api/v1/campaigns", "{not json").status()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/campaigns", "[1,2]").status()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/campaigns/999999", null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/campaigns/abc", null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/campaigns?per_page=5000", null).status()).isEqualTo(400);
        Http.Response wrongType = app.http().postRaw("/api/v1/campaigns", java.util.Map.of("title", "x"), "Authorization", "Bearer " + token);
        assertThat(wrongType.status()).isEqualTo(415);
    }

    @Test
    void a_taken_slug_is_a_conflict() {
        assertThat(call("POST", "/api/v1/campaigns", "{\"title\": \"Same\", \"slug\": \"same-api\"}").status()).isEqualTo(201);
        Http.Response again = call("POST", "/api/v1/campaigns", "{\"title\": \"Other\", \"slug\": \"same-api\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("errors").get(0).get("field").asText()).isEqualTo("slug");
    }

    @Test
    void the_osdi_token_header_works_and_a_leader_token_is_forbidden() {
        Http.Response osdi = app.http().get("/api/v1/campaigns", "OSDI-API-Token", token);
        assertThat(osdi.status()).isEqualTo(200);
        String leader = app.apiKey(app.createUser("leader-" + System.nanoTime() + "@example.org", "leader"));
        Http.Response forbidden = app.http().json("GET", "/api/v1/campaigns", leader, null);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("status").asInt()).isEqualTo(403);
    }
}
