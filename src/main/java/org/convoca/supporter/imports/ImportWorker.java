package org.convoca.supporter.imports;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background importer: polls for queued imports (and is woken when one is queued here),
 * claims one with SKIP LOCKED, runs it, marks it done or failed. One thread per instance.
 */
public final class ImportWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImportWorker.class);
    private final ImportRepository repo;
    private final DSLContext dsl;
    private final String region;
    private final ScheduledExecutorService executor;

    public ImportWorker(DSLContext dsl, String region) {
        this.dsl = dsl;
        this.repo = new ImportRepository(dsl);
        this.region = region;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "imports");
            t.setDaemon(true);
            return t;
        });
    }

    public ImportWorker start() {
        executor.scheduleWithFixedDelay(this::drain, 2, 5, TimeUnit.SECONDS);
        return this;
    }

    /** Looks for work now rather than at the next poll. */
    public void wake() {
        if (!executor.isShutdown()) executor.execute(this::drain);
    }

    /** Runs queued imports until none is left; returns how many ran (tests and benchmarks call it). */
    public int drain() {
        int ran = 0;
        try {
            var id = repo.claim(ImportJob.LEASE_SECONDS);
            while (id.isPresent()) {
                runOne(id.get());
                ran++;
                id = repo.claim(ImportJob.LEASE_SECONDS);
            }
        } catch (RuntimeException e) {
            log.warn("Import poll skipped: {}", e.getMessage());
        }
        return ran;
    }

    private void runOne(long id) {
        Import imp = repo.find(id).orElseThrow();
        try {
            new ImportJob(dsl, imp, region).run();
            repo.finish(id, repo.find(id).map(Import::processedRows).orElse(0));
            log.info("Import {} done", id);
        } catch (Exception e) {
            // The message names the failure, never row data.
            log.warn("Import {} failed: {}", id, e.getClass().getSimpleName());
            repo.fail(id, "The import stopped: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
