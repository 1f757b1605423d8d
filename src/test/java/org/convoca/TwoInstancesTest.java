package org.convoca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.OUTBOX;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.convoca.auth.LoginThrottle;
import org.convoca.mail.OutgoingEmail;
import org.convoca.mail.Outbox;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two Convoca processes' worth of app on one PostgreSQL behave as one system. */
class TwoInstancesTest {
    static TestApp a;
    static TestApp b;

    @BeforeAll
    static void start() {
        a = TestApp.start();
        b = a.secondInstance();
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    @Test
    void a_session_started_on_one_instance_works_on_the_other_and_sign_out_ends_it_on_both() {
        Http browser = a.signedIn("organizer");
        assertThat(browser.get(b.baseUrl + "/admin/campaigns").status()).isEqualTo(200);
        browser.post("/logout", Map.of());
        assertThat(browser.get(b.baseUrl + "/admin/campaigns").status()).isEqualTo(303);
    }

    @Test
    void failed_logins_count_across_instances() {
        String email = "shared-" + System.nanoTime() + "@example.org";
        a.createUser(email, "organizer");
        Http http = a.http();
        http.page("/login");
        for (int i = 0; i < LoginThrottle.MAX_PER_ACCOUNT; i++) {
            TestApp target = i % 2 == 0 ? a : b;
            http.post(target.baseUrl + "/login", Map.of("email", email, "password", "wrong guess " + i));
        }
        assertThat(http.post(b.baseUrl + "/login", Map.of("email", email, "password", TestApp.PASSWORD)).status()).isEqualTo(429);
        assertThat(http.post(a.baseUrl + "/login", Map.of("email", email, "password", TestApp.PASSWORD)).status()).isEqualTo(429);
    }

    @Test
    void both_instances_drain_one_outbox_and_each_email_goes_out_once() {
        a.dsl().transaction(cfg -> {
            for (int i = 0; i < 200; i++) {
                Outbox.enqueue(cfg.dsl(), new OutgoingEmail("test", "two-instances:" + i, "p" + i + "@example.org", "",
                        null, "Message " + i, "Hello", null, Map.of()));
            }
        });
        // Both instances' background senders run too; drain from both sides at once as well.
        var one = CompletableFuture.supplyAsync(a::deliverMail);
        var two = CompletableFuture.supplyAsync(b::deliverMail);
        one.join();
        two.join();
        var sent = OUTBOX.DEDUPE_KEY.startsWith("two-instances:").and(OUTBOX.STATUS.eq("sent"));
        long deadline = System.currentTimeMillis() + 20_000;
        while (a.dsl().fetchCount(OUTBOX, sent) < 200 && System.currentTimeMillis() < deadline) {
            a.deliverMail();
        }
        assertThat(a.dsl().fetchCount(OUTBOX, sent)).isEqualTo(200);
        long received = java.util.stream.Stream.of(a.smtp.getReceivedMessages(), b.smtp.getReceivedMessages())
                .flatMap(java.util.Arrays::stream)
                .filter(m -> {
                    try {
                        return m.getSubject().startsWith("Message ");
                    } catch (jakarta.mail.MessagingException e) {
                        return false;
                    }
                }).count();
        assertThat(received).as("each email exactly once across both instances").isEqualTo(200);
    }
}
