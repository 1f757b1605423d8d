package org.convoca.ops;

import static org.convoca.db.schema.Tables.OUTBOX;

import io.javalin.http.Context;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.convoca.auth.Tokens;
import org.convoca.web.HtmlError;
import org.jooq.DSLContext;

/**
 * Prometheus metrics at {@code GET /metrics}, readable only with {@code Authorization: Bearer
 * METRICS_TOKEN} (without METRICS_TOKEN the endpoint does not exist): requests by route and status
 * with latency, outbox depth, mail sent, JVM memory. Labels are route templates, never URLs with ids.
 */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Optional<String> token;

    public Metrics(DSLContext dsl, Optional<String> token, Supplier<Long> mailSent) {
        this.token = token;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Gauge.builder("convoca_outbox_queued", () -> count(dsl, "queued")).description("emails waiting to be sent").register(registry);
        Gauge.builder("convoca_outbox_failed", () -> count(dsl, "failed")).description("emails that gave up").register(registry);
        FunctionCounter.builder("convoca_mail_sent", mailSent, s -> s.get()).description("emails accepted by SMTP by this instance").register(registry);
    }

    /** Javalin's request logger hook: one timer sample per request. */
    public void record(Context ctx, Float millis) {
        var matched = ctx.endpoints().matchedHttpEndpoint();
        String route = matched == null ? "unmatched" : matched.path;
        if (ctx.path().startsWith("/static/")) route = "/static/*";
        Timer.builder("convoca_http_requests")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", String.valueOf(ctx.status().getCode()))
                .publishPercentileHistogram(false)
                .register(registry)
                .record((long) (millis * 1000), TimeUnit.MICROSECONDS);
    }

    public void scrape(Context ctx) {
        String auth = ctx.header("Authorization");
        String given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : null;
        if (token.isEmpty() || !Tokens.constantTimeEquals(token.get(), given)) {
            throw HtmlError.notFound();
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }

    private static double count(DSLContext dsl, String status) {
        try {
            return dsl.fetchCount(OUTBOX, OUTBOX.STATUS.eq(status));
        } catch (RuntimeException databaseDown) {
            return Double.NaN;
        }
    }
}
