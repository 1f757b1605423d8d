package org.convoca.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.convoca.auth.ApiKeyRepository;
import org.convoca.auth.StaffAccounts;
import org.convoca.auth.UserRepository;
import org.convoca.db.AppSecrets;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.jooq.DSLContext;

/**
 * What the fault and multi-instance tests share: an organizer's API token, an open petition made
 * through the public API, and sign-form posts exactly as a browser sends them.
 */
final class TrustFixtures {
    private TrustFixtures() {
    }

    /** A new organizer account and an API token for it, written straight to the database. */
    static String organizerToken(DSLContext dsl) {
        String email = "organizer-" + System.nanoTime() + "@example.org";
        StaffAccounts.Result r = new StaffAccounts(new UserRepository(dsl)).create(email, "Organizer", "organizer", TestApp.PASSWORD);
        assertThat(r.errors()).isEmpty();
        return new ApiKeyRepository(dsl).create(r.user().id(), "trust test");
    }

    /** A live campaign with an open petition at /p/{slug}; returns the petition's id. */
    static long openPetition(Http http, String token, String slug) {
        Http.Response campaign = http.json("POST", "/api/v1/campaigns", token, """
                {"title": "Counselors, not cops", "summary": "Every school deserves counselors.",
                 "target": [{"name": "Board of Education"}], "status": "live", "slug": "c-%s"}""".formatted(slug));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        Http.Response petition = http.json("POST", "/api/v1/petitions", token, """
                {"campaign_id": %d, "title": "Fund counselors", "slug": "%s", "status": "open",
                 "petition_text": "Fund a counselor in every school.", "signature_goal": 500,
                 "target": [{"name": "Board of Education"}]}""".formatted(campaign.json().get("id").asLong(), slug));
        assertThat(petition.status()).as(petition.body()).isEqualTo(201);
        return Long.parseLong(petition.json().get("identifiers").get(0).asText().replace("convoca:", ""));
    }

    /**
     * The fields the public sign form sends, with a form stamp as if the page had been rendered 5 s
     * ago (the bot guard refuses forms sent back faster than a person types).
     */
    static Map<String, String> signForm(DSLContext dsl, long petitionId, String email) {
        long renderedAt = System.currentTimeMillis() - 5_000;
        Map<String, String> f = new LinkedHashMap<>();
        f.put("given_name", "Parent");
        f.put("family_name", "Trust");
        f.put("email", email);
        f.put("postal_code", "90012");
        f.put("language", "en");
        f.put("email_opt_in", "1");
        f.put("_ts", renderedAt + "." + new AppSecrets(dsl).hmac("petition-form:" + petitionId + ":" + renderedAt));
        f.put("website", "");
        return f;
    }

    static HttpRequest signRequest(String baseUrl, String slug, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(baseUrl + "/p/" + slug + "/sign"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
