package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;

import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PetitionVisibilityTest {
    static TestApp app;
    static String token;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
        token = app.apiKey(app.createUser("vis-" + System.nanoTime() + "@example.org", "organizer"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void an_open_petition_in_a_draft_campaign_has_no_public_page_until_the_campaign_goes_live() {
        long campaign = app.http().json("POST", "/api/v1/campaigns", token, "{\"title\": \"Not yet\", \"slug\": \"not-yet\"}")
                .json().get("id").asLong();
        app.http().json("POST", "/api/v1/petitions", token, """
                {"campaign_id": %d, "title": "Early", "slug": "early", "status": "open", "petition_text": "Soon.",
                 "signature_goal": 10, "target": [{"name": "Board"}]}""".formatted(campaign));
        assertThat(app.http().get("/p/early").status()).isEqualTo(404);
        assertThat(app.http().get("/p/early/count.json").status()).isEqualTo(404);

        app.http().json("PUT", "/api/v1/campaigns/" + campaign, token, "{\"status\": \"live\"}");
        assertThat(app.http().get("/p/early").status()).isEqualTo(200);
    }
}
