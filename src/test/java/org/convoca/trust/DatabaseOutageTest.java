package org.convoca.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.convoca.App;
import org.convoca.Config;
import org.convoca.db.Database;
import org.convoca.db.EmbeddedDatabase;
import org.convoca.testsupport.Http;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * The night before a board vote PostgreSQL goes away for 30 seconds while parents keep signing.
 * The server is stopped the hard way ({@code pg_ctl stop -m immediate}, as a crash: no checkpoint,
 * in-flight transactions cut), then started again over the same data. Convoca itself is never
 * restarted. Its own PostgreSQL (as in HealthTest), since the shared test server must stay up.
 */
class DatabaseOutageTest {
    static final int CLIENTS = 6;
    static final Duration OUTAGE = Duration.ofSeconds(30);
    static final String SLUG = "outage";

    /** What each signer was told: email -> HTTP status (one request per email). */
    final Map<String, Integer> answers = new ConcurrentHashMap<>();
    final Map<Integer, String> sampleBodies = new ConcurrentHashMap<>();
    final Set<String> unfriendly = ConcurrentHashMap.newKeySet();
    final AtomicInteger successes = new AtomicInteger();

    @Test
    void signing_through_a_30_second_postgresql_crash_loses_no_committed_signature_and_recovers_without_restart() throws Exception {
        Path dir = Files.createTempDirectory("convoca-outage");
        int pgPort = freePort();
        EmbeddedDatabase pg = EmbeddedDatabase.start(dir, pgPort);
        Database db = new Database(pg.url("postgres"), 10);
        db.migrate();
        int port = freePort();
        Config config = new Config(Optional.of("unused"), port, "http://127.0.0.1:" + port, dir, Optional.empty(),
                Config.Smtp.none(), Optional.empty(), Optional.empty(), "US", Optional.empty(), 500);
        // Every client here is 127.0.0.1; this test is about durability, not the per-address limit.
        System.setProperty("PETITION_SIGNS_PER_IP_PER_MINUTE", "1000000");
        App app = new App(config, db, true).start();
        Http http = new Http("http://127.0.0.1:" + port);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean stop = new AtomicBoolean();
        try {
            long petitionId = TrustFixtures.openPetition(http, TrustFixtures.organizerToken(db.dsl()), SLUG);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int clientNo = c;
                load.add(clients.submit(() -> signUntil(stop, client, http.baseUrl, db, petitionId, clientNo)));
            }
            awaitSuccesses(50);

            crash(dir.resolve("postgres"));
            pg.close();  // releases the data directory; its own stop finds no server, which it logs
            int okBeforeOutage = successes.get();
            long outageEnds = System.nanoTime() + OUTAGE.toNanos();
            List<Integer> healthDuringOutage = new ArrayList<>();
            boolean pageChecked = false;
            while (System.nanoTime() < outageEnds) {
                Http.Response health = http.get("/healthz");
                healthDuringOutage.add(health.status());
                assertThat(health.body()).contains("database unreachable");
                if (!pageChecked) {
                    Http.Response page = http.get("/p/" + SLUG);
                    assertThat(page.status()).isEqualTo(503);
                    assertThat(page.body()).contains("try again").doesNotContain("Exception").doesNotContain("at org.");
                    assertThat(page.header("Retry-After")).isEqualTo("30");
                    pageChecked = true;
                }
                Thread.sleep(1_000);  // a load balancer's health check interval
            }
            assertThat(healthDuringOutage).as("/healthz while PostgreSQL is down").isNotEmpty().containsOnly(503);
            int okDuringOutage = successes.get() - okBeforeOutage;

            pg = EmbeddedDatabase.start(dir, pgPort);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int status = 0;
            while (System.nanoTime() < deadline && (status = http.get("/healthz").status()) != 200) {
                Thread.sleep(200);
            }
            assertThat(status).as("/healthz after PostgreSQL returned, same Convoca process").isEqualTo(200);
            int okAfterRecovery = successes.get();
            awaitSuccesses(okAfterRecovery + 50);
            stop.set(true);
            for (Future<?> f : load) f.get(2, TimeUnit.MINUTES);

            Set<Integer> statuses = new HashSet<>(answers.values());
            assertThat(statuses).as("sign answers (bodies: %s)", sampleBodies).containsOnly(303, 503);
            assertThat(answers.values()).as("signers turned away while the database was down").contains(503);
            assertThat(unfriendly).as("503 answers that were not the friendly page").isEmpty();
            assertThat(okDuringOutage).as("no success can be answered while the database is down").isLessThanOrEqualTo(CLIENTS);

            List<String> stored = db.dsl().select(PEOPLE.EMAIL_NORMALIZED).from(SIGNATURES)
                    .join(PEOPLE).on(PEOPLE.ID.eq(SIGNATURES.PERSON_ID))
                    .where(SIGNATURES.PETITION_ID.eq(petitionId)).and(SIGNATURES.STATUS.eq("confirmed"))
                    .fetch(PEOPLE.EMAIL_NORMALIZED);
            List<String> confirmedOk = answers.entrySet().stream().filter(e -> e.getValue() == 303).map(Map.Entry::getKey).toList();
            assertThat(stored).as("every signature answered with success is in the database").containsAll(confirmedOk);
            assertThat(stored).as("one row per signer").doesNotHaveDuplicates();
            int distinctSigners = db.dsl().fetchValue(DSL.select(DSL.countDistinct(SIGNATURES.PERSON_ID))
                    .from(SIGNATURES).where(SIGNATURES.PETITION_ID.eq(petitionId)).and(SIGNATURES.STATUS.eq("confirmed")));
            assertThat(stored).hasSize(distinctSigners);
            int shown = Integer.parseInt(http.get("/p/" + SLUG + "/count.json").json().path("total_signatures").asText("-1"));
            assertThat(shown).as("the public count after recovery").isEqualTo(distinctSigners);
            System.out.printf("outage test: %d answered 303 (%d before the crash, %d after recovery), %d answered 503, %d stored%n",
                    confirmedOk.size(), okBeforeOutage, successes.get() - okAfterRecovery,
                    answers.values().stream().filter(s -> s == 503).count(), stored.size());
        } finally {
            stop.set(true);
            clients.shutdownNow();
            System.clearProperty("PETITION_SIGNS_PER_IP_PER_MINUTE");
            app.close();
            db.close();
            pg.close();
            org.convoca.ops.Folders.deleteTree(dir);
        }
    }

    /** One parent after another from this client, each signing once, until told to stop. */
    private void signUntil(AtomicBoolean stop, HttpClient client, String baseUrl, Database db, long petitionId, int clientNo) {
        Map<String, String> template = TrustFixtures.signForm(db.dsl(), petitionId, "unused@example.org");
        for (int n = 0; !stop.get(); n++) {
            String email = "parent-" + clientNo + "-" + n + "@example.org";
            Map<String, String> form = new java.util.LinkedHashMap<>(template);
            form.put("email", email);
            try {
                HttpResponse<String> r = client.send(TrustFixtures.signRequest(baseUrl, SLUG, form), HttpResponse.BodyHandlers.ofString());
                answers.put(email, r.statusCode());
                sampleBodies.putIfAbsent(r.statusCode(), r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
                if (r.statusCode() == 303) successes.incrementAndGet();
                if (r.statusCode() == 503 && (!r.body().contains("try again") || r.body().contains("Exception"))) {
                    unfriendly.add(email);
                }
                // About ten signatures a second per client: real load, leaving the cores to the database.
                if (r.statusCode() == 303) Thread.sleep(100);
            } catch (IOException e) {
                answers.put(email, -1);  // no answer at all: counted as a failure by the status check
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitSuccesses(int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (successes.get() < atLeast) {
            assertThat(System.nanoTime()).as("waiting for %d successful signatures", atLeast).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * Stops PostgreSQL as a crash would: SIGQUIT to the postmaster, which is what {@code pg_ctl stop
     * -m immediate} sends (pg_ctl itself refuses to run as root, as CI containers often are). No
     * shutdown checkpoint, connections cut mid-transaction; the next start replays the WAL.
     */
    static void crash(Path pgData) throws Exception {
        long pid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        Process kill = new ProcessBuilder("kill", "-QUIT", String.valueOf(pid)).redirectErrorStream(true).start();
        assertThat(kill.waitFor()).isZero();
        postmaster.onExit().get(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
