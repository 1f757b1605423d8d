package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The night before a board vote: 2,000 sign requests at once from one address, a third of them
 * the same people again with their email in another case. The count must be exact throughout.
 */
class PetitionBurstTest {
    static final int REQUESTS = 2_000;
    static TestApp app;
    static PetitionFixtures fx;

    @BeforeAll
    static void start() {
        // Every request comes from 127.0.0.1; this test is about counting, not the per-address limit.
        System.setProperty("PETITION_SIGNS_PER_IP_PER_MINUTE", "1000000");
        app = TestApp.start();
        fx = new PetitionFixtures(app);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("PETITION_SIGNS_PER_IP_PER_MINUTE");
        app.close();
    }

    @Test
    void a_burst_of_two_thousand_signatures_counts_exactly_the_distinct_people_at_every_look() throws Exception {
        String admin = fx.openPetition("burst");
        long id = PetitionFixtures.id(admin);
        String token = app.apiKey(app.createUser("burst-api@example.org", "organizer"));

        int distinct = REQUESTS * 2 / 3;
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < distinct; i++) emails.add("parent" + i + "@example.org");
        Random random = new Random(42);
        for (int i = distinct; i < REQUESTS; i++) {
            String e = emails.get(random.nextInt(distinct));
            emails.add(" " + e.toUpperCase(Locale.ROOT).substring(0, 4) + e.substring(4) + " ");
        }
        Collections.shuffle(emails, random);

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(200);
        CountDownLatch go = new CountDownLatch(1);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Future<?>> futures = new ArrayList<>();
        for (String email : emails) {
            futures.add(pool.submit(() -> {
                go.await();
                HttpResponse<String> r = client.send(signRequest(id, email), HttpResponse.BodyHandlers.ofString());
                statuses.merge(r.statusCode(), 1, Integer::sum);
                return null;
            }));
        }

        AtomicBoolean done = new AtomicBoolean();
        List<String> looks = Collections.synchronizedList(new ArrayList<>());
        Thread watcher = new Thread(() -> {
            while (!done.get()) looks.add(look(id, token));
        });
        go.countDown();
        watcher.start();
        for (Future<?> f : futures) f.get(5, TimeUnit.MINUTES);
        done.set(true);
        watcher.join();
        pool.shutdown();

        assertThat(statuses).as("every request answered with a redirect to the thanks page").containsOnlyKeys(303);
        assertThat(looks).as("the page and the API never disagree with the database").allMatch(l -> l.startsWith("ok"));
        assertThat(looks.size()).isGreaterThan(1);
        assertThat(app.dsl().fetchCount(SIGNATURES, SIGNATURES.PETITION_ID.eq(id))).isEqualTo(distinct);
        assertThat(app.dsl().fetchCount(PEOPLE, PEOPLE.EMAIL_NORMALIZED.like("parent%@example.org"))).isEqualTo(distinct);
        assertThat(look(id, token)).isEqualTo("ok " + distinct + " " + distinct + " " + distinct);
    }

    /**
     * One look: the database count before, the page's and the API's counts, the database after.
     * Counts only grow, so an exact count read in between lies within [before, after].
     */
    private static String look(long id, String token) {
        int before = app.dsl().fetchCount(SIGNATURES, PetitionRepository.confirmed(id));
        String page = app.http().get("/p/burst").html().select(".count strong").text().replace(",", "");
        int api = app.http().json("GET", "/api/v1/petitions/" + id, token, null).json().path("total_signatures").asInt();
        int after = app.dsl().fetchCount(SIGNATURES, PetitionRepository.confirmed(id));
        int p = Integer.parseInt(page);
        boolean ok = before <= p && p <= after && before <= api && api <= after;
        return (ok ? "ok " : "BAD ") + before + " " + p + " " + api + (ok && before == after ? "" : " " + after);
    }

    private static HttpRequest signRequest(long id, String email) {
        Map<String, String> f = fx.signer(id, "Parent", "Burst", email);
        String body = f.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(app.baseUrl + "/p/burst/sign"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
