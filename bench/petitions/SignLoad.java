import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loopback load generator for the petition sign form: CLIENTS threads, each posting the real
 * form (the contract's inputs plus the page's signed render stamp) with a new email every time,
 * for WARMUP + SECONDS seconds; only the measured window counts. Prints one line of key=value.
 *
 * Usage: java SignLoad.java BASE_URL SLUG CLIENTS WARMUP_SECONDS SECONDS
 */
public class SignLoad {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        String slug = args[1];
        int clients = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String page = client.send(HttpRequest.newBuilder(URI.create(base + "/p/" + slug)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("name=\"_ts\" value=\"([^\"]+)\"").matcher(page);
        if (!m.find()) throw new IllegalStateException("no form stamp on the page");
        String stamp = m.group(1);
        Thread.sleep(2_100);  // the form's minimum fill time

        long[] latencies = new long[4_000_000];
        AtomicInteger recorded = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong seq = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        String run = Long.toString(System.currentTimeMillis(), 36);
        Thread[] threads = new Thread[clients];
        for (int t = 0; t < clients; t++) {
            threads[t] = new Thread(() -> {
                while (!stop.get()) {
                    long n = seq.incrementAndGet();
                    String body = "given_name=Parent&family_name=Bench" + n + "&email=" + enc("p" + run + "-" + n + "@bench.example.org")
                            + "&postal_code=90012&language=en&comments=&email_opt_in=1&public_display=1&ref=&website=&_ts=" + enc(stamp);
                    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/p/" + slug + "/sign"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long start = System.nanoTime();
                    int status;
                    try {
                        status = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    long took = System.nanoTime() - start;
                    if (!measuring.get()) continue;
                    if (status != 303) {
                        errors.incrementAndGet();
                        continue;
                    }
                    int i = recorded.getAndIncrement();
                    if (i < latencies.length) latencies[i] = took;
                }
            });
            threads[t].start();
        }
        Thread.sleep(warmup * 1000L);
        measuring.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Thread t : threads) t.join();

        int n = Math.min(recorded.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf("signs=%d errors=%d seconds=%.1f rate=%.1f p50_ms=%.1f p99_ms=%.1f%n", n, errors.get(), elapsed,
                n / elapsed, pct(sorted, 0.50), pct(sorted, 0.99));
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
