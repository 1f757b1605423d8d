package org.convoca.supporter.imports;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background importer: polls for queued imports (and is woken when one is queued here),
 * claims one with SKIP LOCKED, runs it, marks it done or failed. One thread per instance, plus a
 * heartbeat that keeps the running import's lease short-lived: if this process dies (kill -9, a
 * lost machine) another instance, or this one restarted, resumes the import once the lease runs
 * out, {@link #LEASE_SECONDS} later at most.
 */
public final class ImportWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImportWorker.class);
    private final ImportRepository repo;
    private final DSLContext dsl;
    private final String region;
    private final int chunkSize;
    static final int LEASE_SECONDS = 30;
    /** An import that keeps stopping its worker (5 claims) is reported failed rather than retried forever. */
    static final int MAX_ATTEMPTS = 5;
    private final ScheduledExecutorService executor;
    private final ScheduledExecutorService heartbeat;

    public ImportWorker(DSLContext dsl, String region) {
        this(dsl, region, ImportJob.MERGE_CHUNK);
    }

    /** {@code chunkSize}: file positions merged per transaction. */
    ImportWorker(DSLContext dsl, String region, int chunkSize) {
        this.dsl = dsl;
        this.chunkSize = chunkSize;
        this.repo = new ImportRepository(dsl);
        this.region = region;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "imports");
            t.setDaemon(true);
            return t;
        });
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "imports-lease");
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
            var id = repo.claim(LEASE_SECONDS);
            while (id.isPresent()) {
                runOne(id.get());
                ran++;
                if (Thread.currentThread().isInterrupted()) break;  // shutting down
                id = repo.claim(LEASE_SECONDS);
            }
        } catch (RuntimeException e) {
            log.warn("Import poll skipped: {}", e.getMessage());
        } catch (Error e) {
            // An executor swallows what its task throws: say so, or the import just stalls until its lease runs out.
            log.error("Import worker stopped: {}", e.toString());
            throw e;
        }
        return ran;
    }

    private void runOne(long id) {
        Import imp = repo.find(id).orElseThrow();
        int attempts = repo.attempts(id);
        if (attempts > MAX_ATTEMPTS) {
            log.warn("Import {} failed: interrupted {} times", id, attempts - 1);
            repo.fail(id, "The import was interrupted " + (attempts - 1) + " times; nothing of its unfinished part was saved");
            return;
        }
        if (attempts > 1) log.info("Import {} resumes after row {} (attempt {})", id, imp.processedRows(), attempts);
        var beat = heartbeat.scheduleWithFixedDelay(() -> renew(id), LEASE_SECONDS / 3, LEASE_SECONDS / 3, TimeUnit.SECONDS);
        try {
            new ImportJob(dsl, imp, region, chunkSize).run();
            repo.finish(id, repo.find(id).map(Import::totalRows).orElse(0));
            log.info("Import {} done", id);
        } catch (java.io.InterruptedIOException e) {
            // The app is shutting down: the import stays running, and is resumed from its last
            // merged chunk when the lease runs out (by this instance restarted, or another one).
            log.info("Import {} paused by shutdown; it resumes later", id);
        } catch (Exception e) {
            // The message names the failure, never row data.
            log.warn("Import {} failed: {}", id, e.getClass().getSimpleName());
            repo.fail(id, "The import stopped: " + e.getClass().getSimpleName());
        } finally {
            beat.cancel(false);
        }
    }

    private void renew(long id) {
        try {
            repo.renewLease(id, LEASE_SECONDS);
        } catch (RuntimeException e) {
            // The next beat tries again; a lease that runs out only lets another worker resume the import.
            log.warn("Import {} lease not renewed: {}", id, e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        heartbeat.shutdownNow();
    }
}
