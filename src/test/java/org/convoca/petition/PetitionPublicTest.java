package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PetitionPublicTest {
    static TestApp app;
    static PetitionFixtures fx;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        fx = new PetitionFixtures(app);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void the_public_campaign_page_links_its_open_petitions() {
        fx.openPetition("linked");
        var page = app.http().get("/c/c-linked").html();
        assertThat(page.select("#petitions-heading + ul a").attr("href")).contains("/p/linked");
        assertThat(page.select("#petitions-heading + ul a").text()).isEqualTo("Counselors in every school");
    }

    @Test
    void the_embed_is_the_only_framable_page() {
        fx.openPetition("embed-me");
        Http.Response embed = app.http().get("/p/embed-me/embed");
        assertThat(embed.status()).isEqualTo(200);
        assertThat(embed.header("Content-Security-Policy")).contains("frame-ancestors *");
        assertThat(embed.header("X-Frame-Options")).isNull();
        assertThat(embed.html().select("form.sign-form").attr("target")).isEqualTo("_top");
        Http.Response page = app.http().get("/p/embed-me");
        assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    }

    @Test
    void the_public_count_endpoint_gives_the_exact_count_to_any_site() {
        long id = PetitionFixtures.id(fx.openPetition("count-me"));
        app.http().postRaw("/p/count-me/sign", fx.signer(id, "Cora", "Count", "cora@example.org"));
        Http.Response r = app.http().get("/p/count-me/count.json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(r.json().path("total_signatures").asInt()).isEqualTo(1);
        assertThat(r.json().path("status").asText()).isEqualTo("open");
    }

    @Test
    void with_double_opt_in_a_signature_counts_only_after_the_emailed_link_is_followed_once() {
        Map<String, String> f = PetitionFixtures.form("Confirm first", "confirm-me", "open");
        f.put("double_opt_in", "1");
        long id = PetitionFixtures.id(fx.petition("confirm-me", f));
        Http parent = app.http();
        String thanks = parent.postRaw("/p/confirm-me/sign", fx.signer(id, "Dora", "Double", "dora@example.org")).location();
        assertThat(thanks).contains("result=pending");
        assertThat(app.http().get("/p/confirm-me/count.json").json().path("total_signatures").asInt()).isZero();

        String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(fx.awaitMailTo("dora@example.org"));
        String link = body.replaceAll("(?s).*?(http://\\S+/confirm\\?token=[A-Za-z0-9_-]+&(amp;)?lang=en).*", "$1")
                .replace("&amp;", "&").replace("=\r\n", "");
        Http clicker = app.http();
        var confirmPage = clicker.page(link);
        assertThat(confirmPage.status()).isEqualTo(200);
        String token = confirmPage.html().select("input[name=token]").val();
        assertThat(clicker.post("/p/confirm-me/confirm", Map.of("token", token)).status()).isEqualTo(303);
        assertThat(app.http().get("/p/confirm-me/count.json").json().path("total_signatures").asInt()).isEqualTo(1);

        clicker.page(link);
        assertThat(clicker.post("/p/confirm-me/confirm", Map.of("token", token)).status()).as("a link works once").isEqualTo(410);
    }

    @Test
    void signing_again_before_confirming_sends_a_fresh_link_and_the_old_one_stops_working() {
        Map<String, String> f = PetitionFixtures.form("Resend", "resend-me", "open");
        f.put("double_opt_in", "1");
        long id = PetitionFixtures.id(fx.petition("resend-me", f));
        app.http().postRaw("/p/resend-me/sign", fx.signer(id, "Rita", "Resend", "rita@example.org"));
        String first = com.icegreen.greenmail.util.GreenMailUtil.getBody(fx.awaitMailTo("rita@example.org"))
                .replaceAll("(?s).*?confirm\\?token=([A-Za-z0-9_-]+).*", "$1");
        String again = app.http().postRaw("/p/resend-me/sign", fx.signer(id, "Rita", "Resend", "RITA@example.org")).location();
        assertThat(again).contains("result=pending");
        Http clicker = app.http();
        clicker.page("/p/resend-me/confirm?token=" + first);
        assertThat(clicker.post("/p/resend-me/confirm", Map.of("token", first)).status()).isEqualTo(410);
        assertThat(app.dsl().fetchCount(org.convoca.db.schema.Tables.OUTBOX,
                org.convoca.db.schema.Tables.OUTBOX.KIND.eq("petition_confirm")
                        .and(org.convoca.db.schema.Tables.OUTBOX.TO_ADDRESS.eq("rita@example.org")))).isEqualTo(2);
    }

    @Test
    void an_expired_confirmation_link_does_not_count() {
        Map<String, String> f = PetitionFixtures.form("Expires", "expire-me", "open");
        f.put("double_opt_in", "1");
        long id = PetitionFixtures.id(fx.petition("expire-me", f));
        app.http().postRaw("/p/expire-me/sign", fx.signer(id, "Old", "Link", "old@example.org"));
        String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(fx.awaitMailTo("old@example.org"));
        String token = body.replaceAll("(?s).*?confirm\\?token=([A-Za-z0-9_-]+).*", "$1");
        app.dsl().update(SIGNATURES).set(SIGNATURES.TOKEN_EXPIRES_AT, java.time.OffsetDateTime.now().minusMinutes(1))
                .where(SIGNATURES.PETITION_ID.eq(id)).execute();
        Http clicker = app.http();
        clicker.page("/p/expire-me/confirm?token=" + token);
        assertThat(clicker.post("/p/expire-me/confirm", Map.of("token", token)).status()).isEqualTo(410);
        assertThat(app.http().get("/p/expire-me/count.json").json().path("total_signatures").asInt()).isZero();
    }

    @Test
    void a_room_of_one_hundred_parents_on_one_wifi_address_all_sign_within_a_minute() {
        long id = PetitionFixtures.id(fx.openPetition("one-wifi"));
        long started = System.currentTimeMillis();
        for (int i = 0; i < 100; i++) {
            Http.Response r = app.http().postRaw("/p/one-wifi/sign", fx.signer(id, "Parent", "Room" + i, "room" + i + "@example.org"));
            assertThat(r.status()).as("parent %d", i).isEqualTo(303);
        }
        assertThat(System.currentTimeMillis() - started).isLessThan(60_000);
        assertThat(app.http().get("/p/one-wifi/count.json").json().path("total_signatures").asInt()).isEqualTo(100);
    }

    @Test
    void one_address_is_limited_per_minute_across_the_shared_counter() {
        long id = PetitionFixtures.id(fx.openPetition("limit-me"));
        BotGuard guard = new BotGuard(app.dsl(), new org.convoca.db.AppSecrets(app.dsl()), 64);
        int allowed = 0;
        for (int i = 0; i < 400; i++) {
            if (guard.withinLimit("test-address")) allowed++;
        }
        // 64 a minute spread over 32 shards of 2: never more than 64, and a burst of 400 is stopped.
        assertThat(allowed).isLessThanOrEqualTo(64).isGreaterThan(0);
        assertThat(id).isPositive();
    }
}
