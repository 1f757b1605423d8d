package org.convoca.web;

import static org.assertj.core.api.Assertions.assertThat;

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
}
