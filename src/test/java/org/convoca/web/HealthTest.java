package org.convoca.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.convoca.App;
import org.convoca.Config;
import org.convoca.db.Database;
import org.convoca.db.EmbeddedDatabase;
import org.convoca.testsupport.Http;
import org.junit.jupiter.api.Test;

/** /healthz follows the database: 503 while it is gone, 200 again when it returns, with no restart. */
class HealthTest {
    @Test
    void healthz_says_503_while_postgresql_is_down_and_recovers_by_itself() throws Exception {
        Path dir = Files.createTempDirectory("convoca-health");
        int pgPort;
        try (ServerSocket s = new ServerSocket(0)) {
            pgPort = s.getLocalPort();
        }
        EmbeddedDatabase pg = EmbeddedDatabase.start(dir, pgPort);
        Database db = new Database(pg.url("postgres"), 4);
        db.migrate();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Config config = new Config(Optional.of("unused"), port, "http://127.0.0.1:" + port, dir, Optional.empty(),
                Config.Smtp.none(), Optional.empty(), Optional.empty(), "US", Optional.of("test-metrics-token"), 500);
        App app = new App(config, db, true).start();
        Http http = new Http("http://127.0.0.1:" + port);
        try {
            assertThat(http.get("/healthz").body()).isEqualTo("{\"status\":\"ok\"}");

            pg.close();
            Http.Response down = http.get("/healthz");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().get("reason").asText()).isEqualTo("database unreachable");
            Http.Response page = http.get("/");
            assertThat(page.status()).isEqualTo(503);
            assertThat(page.body()).contains("try again").doesNotContain("Exception");

            pg = EmbeddedDatabase.start(dir, pgPort);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            int status = 0;
            while (Instant.now().isBefore(deadline) && (status = http.get("/healthz").status()) != 200) {
                Thread.onSpinWait();
            }
            assertThat(status).isEqualTo(200);
            assertThat(http.get("/").status()).isEqualTo(200);
        } finally {
            app.close();
            db.close();
            pg.close();
            org.convoca.ops.Folders.deleteTree(dir);
        }
    }
}
