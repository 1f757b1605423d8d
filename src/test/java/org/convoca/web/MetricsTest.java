package org.convoca.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.IMPORTS;
import static org.convoca.db.schema.Tables.MESSAGES;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.PEOPLE;

import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetricsTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void metrics_need_the_token_and_count_requests_by_route_template() {
        app.http().get("/c/some-campaign");
        app.http().get("/c/another");
        assertThat(app.http().get("/metrics").status()).isEqualTo(404);
        assertThat(app.http().get("/metrics", "Authorization", "Bearer wrong").status()).isEqualTo(404);
        Http.Response r = app.http().get("/metrics", "Authorization", "Bearer test-metrics-token");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body())
                .containsPattern("convoca_http_requests_seconds_count\\{method=\"GET\",route=\"/c/\\{slug}\",status=\"404\"} 2")
                .contains("convoca_outbox_queued")
                .contains("jvm_memory_used_bytes")
                .doesNotContain("some-campaign");
    }

    @Test
    void metrics_show_each_running_import_s_progress_and_the_blast_deliveries_sent_so_far() {
        // Leased as if another instance were running it, so this app's import worker leaves it alone.
        long running = app.dsl().insertInto(IMPORTS).set(IMPORTS.STATUS, "running").set(IMPORTS.FILENAME, "parents.csv")
                .set(IMPORTS.TOTAL_ROWS, 5000).set(IMPORTS.PROCESSED_ROWS, 1250)
                .set(IMPORTS.LOCKED_UNTIL, java.time.OffsetDateTime.now().plusHours(1))
                .returning(IMPORTS.ID).fetchSingle().getId();
        long finished = app.dsl().insertInto(IMPORTS).set(IMPORTS.STATUS, "done").set(IMPORTS.FILENAME, "old.csv")
                .set(IMPORTS.TOTAL_ROWS, 10).set(IMPORTS.PROCESSED_ROWS, 10).returning(IMPORTS.ID).fetchSingle().getId();
        long message = app.dsl().insertInto(MESSAGES).set(MESSAGES.SUBJECT, "Board vote").set(MESSAGES.BODY, "Come")
                .set(MESSAGES.STATUS, "sending").returning(MESSAGES.ID).fetchSingle().getId();
        for (int i = 0; i < 5; i++) {
            String email = "metrics-" + i + "@example.org";
            long person = app.dsl().insertInto(PEOPLE).set(PEOPLE.EMAIL, email).set(PEOPLE.EMAIL_NORMALIZED, email)
                    .set(PEOPLE.REFERRAL_CODE, "metrics" + i).returning(PEOPLE.ID).fetchSingle().getId();
            app.dsl().insertInto(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.MESSAGE_ID, message)
                    .set(MESSAGE_DELIVERIES.PERSON_ID, person).set(MESSAGE_DELIVERIES.STATUS, i < 3 ? "sent" : "queued").execute();
        }

        String body = scrape();
        assertThat(body)
                .contains("convoca_import_rows_processed{import=\"" + running + "\"} 1250.0")
                .contains("convoca_import_rows_in_file{import=\"" + running + "\"} 5000.0")
                .doesNotContain("import=\"" + finished + "\"")
                .contains("convoca_blast_deliveries_sent_total 3.0")
                .contains("convoca_blast_deliveries_queued 2.0");

        // The import ends and the blast goes on: the import's series goes, the counter grows.
        app.dsl().update(IMPORTS).set(IMPORTS.STATUS, "done").where(IMPORTS.ID.eq(running)).execute();
        app.dsl().update(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.STATUS, "sent").where(MESSAGE_DELIVERIES.MESSAGE_ID.eq(message)).execute();
        assertThat(scrape())
                .doesNotContain("convoca_import_rows_processed{")
                .contains("convoca_blast_deliveries_sent_total 5.0")
                .contains("convoca_blast_deliveries_queued 0.0");
    }

    private static String scrape() {
        Http.Response r = app.http().get("/metrics", "Authorization", "Bearer test-metrics-token");
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }
}
