package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.FORM_RATE_LIMITS;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.convoca.testsupport.TestApp;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Form posts are answered without holding a request thread while their batch is written
 * (Signing.signLater): one thread, the one that completes the batches, makes every answer, so it
 * must never wait on a client. A client that sends many posts and never reads the answers must
 * not hold up everyone else's.
 */
class PetitionSlowReaderTest {
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
    void a_client_that_never_reads_its_answers_does_not_hold_up_other_signers() throws Exception {
        long id = PetitionFixtures.id(fx.openPetition("slow-reader"));
        URI base = URI.create(app.baseUrl);
        try (Socket stuck = new Socket()) {
            // A small window, so that the answers back up into the server's buffers.
            stuck.setReceiveBufferSize(2048);
            stuck.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> pipeline(stuck, id, base, 50_000));
            // The server answers the pipelined posts one after another until the answers it cannot
            // send fill the socket's buffers (about a megabyte here, some 3,000 answers); then the
            // write of the next answer blocks, and no more of the connection's posts are counted.
            long lastHits = -1;
            int unchanged = 0;
            long deadline = System.currentTimeMillis() + 150_000;
            while (unchanged < 3) {
                assertThat(System.currentTimeMillis()).as("the connection never stalled").isLessThan(deadline);
                Thread.sleep(1_000);
                long hits = countedPosts();
                unchanged = hits == lastHits ? unchanged + 1 : 0;
                lastHits = hits;
            }
            assertThat(sending).isNotDone();  // still sending: the server stopped reading them

            long started = System.nanoTime();
            int status = app.http().postRaw("/p/slow-reader/sign",
                    fx.signer(id, "Other", "Parent", "other.parent@example.org")).status();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            // Answered, not queued behind the stuck connection (its writes wait up to the idle
            // timeout); 429 when the stuck client has used up the address's limit for the minute.
            assertThat(status).isIn(303, 429);
            assertThat(millis).isLessThan(5_000);
            sending.cancel(true);
        }
    }

    private static long countedPosts() {
        Number n = (Number) app.dsl().select(DSL.sum(FORM_RATE_LIMITS.HITS)).from(FORM_RATE_LIMITS).fetchOne(0);
        return n == null ? 0 : n.longValue();
    }

    private static void pipeline(Socket socket, long petitionId, URI base, int posts) {
        try {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < posts; i++) {
                Map<String, String> form = fx.signer(petitionId, "Piled", "Up", "piled" + i + "@example.org");
                byte[] body = form.entrySet().stream()
                        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                        .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8);
                String head = "POST /p/slow-reader/sign HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                        + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                        + "\r\n\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
            }
            out.flush();
        } catch (java.io.IOException e) {
            // The socket was closed at the end of the test, or the server gave up on it.
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
