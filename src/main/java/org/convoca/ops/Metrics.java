package org.convoca.ops;

import static org.convoca.db.schema.Tables.IMPORTS;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.OUTBOX;

import io.javalin.http.Context;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.convoca.auth.Tokens;
import org.convoca.web.HtmlError;
import org.jooq.DSLContext;

/**
 * Prometheus metrics at {@code GET /metrics}, readable only with {@code Authorization: Bearer
 * METRICS_TOKEN} (without METRICS_TOKEN the endpoint does not exist): requests by route and status
 * with latency, outbox depth, mail sent, blast deliveries sent and queued, the progress of running
 * imports, JVM memory. Labels are route templates, never URLs with ids (an import's label is its
 * number, which names no person and exists only while the import runs).
 */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Optional<String> token;
    private final DSLContext dsl;
    private final MultiGauge importProcessed;
    private final MultiGauge importTotal;
    private final AtomicLong blastSent = new AtomicLong();

    public Metrics(DSLContext dsl, Optional<String> token, Supplier<Long> mailSent) {
        this.token = token;
        this.dsl = dsl;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Gauge.builder("convoca_outbox_queued", () -> count(dsl, "queued")).description("emails waiting to be sent").register(registry);
        Gauge.builder("convoca_outbox_failed", () -> count(dsl, "failed")).description("emails that gave up").register(registry);
        FunctionCounter.builder("convoca_mail_sent", mailSent, s -> s.get()).description("emails accepted by SMTP by this instance").register(registry);
        // Read from the deliveries table, so every instance reports the blast as a whole (all
        // senders together); the send rate is rate(convoca_blast_deliveries_sent_total[1m]).
        FunctionCounter.builder("convoca_blast_deliveries_sent", this, m -> m.blastSent()).description("blast emails sent, all instances together").register(registry);
        Gauge.builder("convoca_blast_deliveries_queued", () -> blastQueued(dsl)).description("blast emails waiting to be sent").register(registry);
        importProcessed = MultiGauge.builder("convoca_import_rows_processed").description("rows read so far by each running import").register(registry);
        importTotal = MultiGauge.builder("convoca_import_rows_in_file").description("rows in the file of each running import (a Prometheus gauge may not end in _total)").register(registry);
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
        refreshImports();
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }

    /** One row per running import; a finished import's series disappears (overwrite = true). */
    private void refreshImports() {
        List<org.jooq.Record3<Long, Integer, Integer>> running;
        try {
            running = dsl.select(IMPORTS.ID, IMPORTS.PROCESSED_ROWS, IMPORTS.TOTAL_ROWS)
                    .from(IMPORTS).where(IMPORTS.STATUS.eq("running")).orderBy(IMPORTS.ID).fetch();
        } catch (RuntimeException databaseDown) {
            return;  // keep the last known progress; /healthz reports the database
        }
        importProcessed.register(running.stream()
                .map(r -> MultiGauge.Row.of(Tags.of("import", String.valueOf(r.value1())), r.value2())).toList(), true);
        importTotal.register(running.stream()
                .map(r -> MultiGauge.Row.of(Tags.of("import", String.valueOf(r.value1())), r.value3())).toList(), true);
    }

    /**
     * A counter must not fall: while the database is away it repeats the last count. This scans the
     * sent deliveries (no index serves it); at a scrape every 15 s that is cheap next to the blast.
     */
    private double blastSent() {
        try {
            blastSent.set(dsl.fetchCount(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.STATUS.eq("sent")));
        } catch (RuntimeException databaseDown) {
            // keep the last value
        }
        return blastSent.get();
    }

    private static double blastQueued(DSLContext dsl) {
        try {
            return dsl.fetchCount(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.STATUS.eq("queued"));
        } catch (RuntimeException databaseDown) {
            return Double.NaN;
        }
    }

    private static double count(DSLContext dsl, String status) {
        try {
            return dsl.fetchCount(OUTBOX, OUTBOX.STATUS.eq(status));
        } catch (RuntimeException databaseDown) {
            return Double.NaN;
        }
    }
}
