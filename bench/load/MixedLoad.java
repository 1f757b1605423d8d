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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open-loop mixed traffic at a fixed rate (requests are started on schedule whether or not earlier
 * ones finished, so a slow server shows as latency, not as a lower rate): petition and campaign page
 * views, the home page, petition signatures through the real form, and API reads.
 * Loopback only; bounded by RATE and SECONDS. Prints a Markdown table per kind.
 *
 * Usage: java MixedLoad.java BASE_URL TOKEN RATE SECONDS
 */
public class MixedLoad {
    record Kind(String name, int weight) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).executor(Executors.newFixedThreadPool(32)).build();
        String page = client.send(HttpRequest.newBuilder(URI.create(base + "/p/bench")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("name=\"_ts\" value=\"([^\"]+)\"").matcher(page);
        if (!m.find()) throw new IllegalStateException("no form stamp on the petition page");
        String stamp = m.group(1);
        Thread.sleep(2_100);  // the sign form's minimum fill time

        List<Kind> kinds = List.of(new Kind("GET /p/{slug}", 60), new Kind("GET /c/{slug}", 15), new Kind("GET /", 5),
                new Kind("POST /p/{slug}/sign", 15), new Kind("GET /api/v1/petitions/{id}", 5));
        Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        kinds.forEach(k -> {
            latencies.put(k.name(), Collections.synchronizedList(new ArrayList<>()));
            errors.put(k.name(), new AtomicLong());
        });
        AtomicLong seq = new AtomicLong();
        String run = Long.toString(System.currentTimeMillis(), 36);
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        long total = (long) rate * seconds;
        long periodNanos = 1_000_000_000L / rate;
        AtomicLong issued = new AtomicLong();
        var done = new java.util.concurrent.CountDownLatch(1);
        scheduler.scheduleAtFixedRate(() -> {
            long n = issued.incrementAndGet();
            if (n > total) {
                done.countDown();
                return;
            }
            Kind k = pick(kinds, n);
            HttpRequest req = request(k.name(), base, token, stamp, run, seq.incrementAndGet());
            long start = System.nanoTime();
            client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                long took = System.nanoTime() - start;
                int expected = k.name().startsWith("POST") ? 303 : 200;
                if (e != null || r.statusCode() != expected) errors.get(k.name()).incrementAndGet();
                else latencies.get(k.name()).add(took);
            });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        done.await();
        scheduler.shutdownNow();
        Thread.sleep(5_000);  // let the last requests finish

        System.out.println("| kind | requests | errors | p50 ms | p99 ms |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        long all = 0, allErrors = 0;
        List<Long> everything = new ArrayList<>();
        for (Kind k : kinds) {
            List<Long> l = new ArrayList<>(latencies.get(k.name()));
            Collections.sort(l);
            everything.addAll(l);
            long e = errors.get(k.name()).get();
            all += l.size() + e;
            allErrors += e;
            System.out.printf("| %s | %d | %d | %.1f | %.1f |%n", k.name(), l.size() + e, e, pct(l, 0.50), pct(l, 0.99));
        }
        Collections.sort(everything);
        System.out.printf("| all (%d/s for %d s) | %d | %d | %.1f | %.1f |%n", rate, seconds, all, allErrors, pct(everything, 0.50), pct(everything, 0.99));
        System.exit(0);  // the HTTP client's worker threads would keep the JVM alive
    }

    static Kind pick(List<Kind> kinds, long n) {
        int slot = (int) (n % 100);
        int acc = 0;
        for (Kind k : kinds) {
            acc += k.weight();
            if (slot < acc) return k;
        }
        return kinds.get(0);
    }

    static HttpRequest request(String kind, String base, String token, String stamp, String run, long n) {
        HttpRequest.Builder b;
        switch (kind) {
            case "GET /p/{slug}" -> b = HttpRequest.newBuilder(URI.create(base + "/p/bench"));
            case "GET /c/{slug}" -> b = HttpRequest.newBuilder(URI.create(base + "/c/bench"));
            case "GET /" -> b = HttpRequest.newBuilder(URI.create(base + "/"));
            case "GET /api/v1/petitions/{id}" -> b = HttpRequest.newBuilder(URI.create(base + "/api/v1/petitions/1"))
                    .header("Authorization", "Bearer " + token);
            default -> {
                String body = "given_name=Parent&family_name=Load" + n + "&email=" + enc("l" + run + "-" + n + "@load.example.org")
                        + "&postal_code=90012&language=es&email_opt_in=1&website=&_ts=" + enc(stamp);
                b = HttpRequest.newBuilder(URI.create(base + "/p/bench/sign"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
            }
        }
        return b.timeout(Duration.ofSeconds(30)).build();
    }

    static double pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) return Double.NaN;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
