package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-address limit on the sign form, counted in PostgreSQL in batches, is exact across instances. */
class PetitionRateLimitTest {
    static final int LIMIT = 5;
    static TestApp a;
    static TestApp b;
    static PetitionFixtures fx;

    @BeforeAll
    static void start() {
        System.setProperty("PETITION_SIGNS_PER_IP_PER_MINUTE", String.valueOf(LIMIT));
        a = TestApp.start();
        b = a.secondInstance();
        fx = new PetitionFixtures(a);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("PETITION_SIGNS_PER_IP_PER_MINUTE");
        b.close();
        a.close();
    }

    /** Every test starts with no posts counted for the loopback address. */
    @org.junit.jupiter.api.BeforeEach
    void forgetCounts() {
        a.dsl().deleteFrom(org.convoca.db.schema.Tables.FORM_RATE_LIMITS).execute();
    }

    @Test
    void concurrent_signers_on_two_instances_from_one_address_get_exactly_the_per_minute_limit() throws Exception {
        long id = PetitionFixtures.id(fx.openPetition("gc-limit"));
        // The limit is per minute: a burst across a minute's edge would count in two windows.
        while (System.currentTimeMillis() % 60_000 > 55_000) Thread.sleep(200);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            TestApp instance = i % 2 == 0 ? a : b;
            Map<String, String> form = fx.signer(id, "Parent", "Limit" + i, "limit" + i + "@example.org");
            futures.add(pool.submit(() -> {
                go.await();
                statuses.merge(instance.http().postRaw("/p/gc-limit/sign", form).status(), 1, Integer::sum);
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) f.get();
        pool.shutdown();
        assertThat(statuses).containsEntry(303, LIMIT).containsEntry(429, 16 - LIMIT);
        assertThat(a.dsl().fetchCount(SIGNATURES, SIGNATURES.PETITION_ID.eq(id))).isEqualTo(LIMIT);
    }

    @Test
    void posts_with_errors_count_against_the_limit_like_signatures() throws Exception {
        long id = PetitionFixtures.id(fx.openPetition("gc-invalid"));
        while (System.currentTimeMillis() % 60_000 > 50_000) Thread.sleep(200);
        List<Integer> invalid = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            Map<String, String> bad = new java.util.HashMap<>(fx.signer(id, "Parent", "Bad" + i, "not-an-email"));
            invalid.add(b.http().postRaw("/p/gc-invalid/sign", bad).status());
        }
        assertThat(invalid).containsOnly(422);
        // The address has used its minute on invalid posts: a valid one is refused and writes nothing.
        var valid = a.http().postRaw("/p/gc-invalid/sign", fx.signer(id, "Parent", "Late", "late@example.org"));
        assertThat(valid.status()).isEqualTo(429);
        assertThat(a.dsl().fetchCount(SIGNATURES, SIGNATURES.PETITION_ID.eq(id))).isZero();
    }
}
