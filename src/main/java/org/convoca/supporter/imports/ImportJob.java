package org.convoca.supporter.imports;

import static org.convoca.db.schema.Tables.IMPORTS;
import static org.convoca.db.schema.Tables.IMPORT_ROWS;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one import in two overlapping steps: {@link ImportStaging} parses, checks and COPYs the file
 * into import_rows on a thread of its own, while the staged rows are merged into people a chunk of
 * file positions ({@link #MERGE_CHUNK}) at a time (see {@link ImportMerge}), each chunk in one
 * transaction that also advances processed_rows.
 * A chunk is merged entirely or not at all, so after a crash (a killed process, a lost connection)
 * nothing is half-merged: the next attempt drops whatever was staged, stages again from the last
 * merged position and goes on, to the same result an uninterrupted run gives.
 */
final class ImportJob {
    /**
     * File positions merged per transaction by default. Larger chunks mean fewer statements but
     * longer transactions; {@code -Dconvoca.import.chunk=N} changes it (the crash test uses small
     * chunks so that a small file still has several).
     */
    static final int MERGE_CHUNK = Math.max(1, Integer.getInteger("convoca.import.chunk", 100_000));
    private static final Logger log = LoggerFactory.getLogger(ImportJob.class);

    private final DSLContext dsl;
    private final Import imp;
    private final String region;
    private final int chunkSize;
    /** Milliseconds spent in each merge step, summed over the chunks. */
    private final Map<String, Long> steps = new LinkedHashMap<>();

    ImportJob(DSLContext dsl, Import imp, String region, int chunkSize) {
        this.dsl = dsl;
        this.imp = imp;
        this.region = region;
        this.chunkSize = chunkSize;
    }

    void run() throws IOException {
        int merged = imp.processedRows();
        discardStaged();
        long t0 = System.nanoTime();
        // Parsing and checking is the application's CPU, merging the database's: staging runs on its
        // own thread, one chunk ahead, so the two overlap instead of adding up.
        Progress progress = new Progress(new ImportStaging.Staged(merged, java.util.Set.of(), false));
        Thread stager = new Thread(() -> {
            try {
                progress.finish(new ImportStaging(dsl, imp, region, merged, progress::advance).run());
            } catch (Throwable e) {
                progress.fail(e);
            }
        }, "imports-stage");
        stager.setDaemon(true);
        stager.start();
        long waited = 0;
        int total;
        try {
            int from = merged + 1;
            while (true) {
                long w = System.nanoTime();
                ImportStaging.Staged staged = progress.await(from + chunkSize - 1);
                waited += System.nanoTime() - w;
                total = staged.totalRows();
                if (from > total) break;  // await returns short of the chunk only once staging is done
                int to = Math.min(total, from + chunkSize - 1);
                mergeChunk(from, to, staged);
                from = to + 1;
            }
        } finally {
            stager.interrupt();
            joinQuietly(stager);
        }
        long t1 = System.nanoTime();
        discardStaged();
        // Timings only (no row data), so an operator can see which step a slow import spends its time in.
        log.info("Import {}: {} rows staged and merged in {} ms (staging {} ms, merge waited for it {} ms) {}, cleaned up in {} ms",
                imp.id(), total - merged, (t1 - t0) / 1_000_000, progress.stagingMillis(t0), waited / 1_000_000, steps,
                (System.nanoTime() - t1) / 1_000_000);
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How far staging has got, as the merge loop waits on it. */
    private static final class Progress {
        private ImportStaging.Staged latest;
        private boolean done;
        private Throwable failure;
        private long doneAt;

        Progress(ImportStaging.Staged start) {
            this.latest = start;
        }

        synchronized void advance(ImportStaging.Staged staged) {
            latest = staged;
            notifyAll();
        }

        synchronized void finish(ImportStaging.Staged staged) {
            latest = staged;
            done = true;
            doneAt = System.nanoTime();
            notifyAll();
        }

        synchronized void fail(Throwable e) {
            failure = e;
            done = true;
            notifyAll();
        }

        /** Waits until file position {@code to} is staged, or staging has ended; rethrows its failure. */
        synchronized ImportStaging.Staged await(int to) throws IOException {
            try {
                while (!done && latest.totalRows() < to) wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("import stopped");
            }
            if (failure instanceof IOException e) throw e;
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw new IOException(failure);
            return latest;
        }

        synchronized long stagingMillis(long since) {
            return (doneAt - since) / 1_000_000;
        }
    }

    private void discardStaged() {
        dsl.deleteFrom(IMPORT_ROWS).where(IMPORT_ROWS.IMPORT_ID.eq(imp.id())).execute();
    }

    private void mergeChunk(int from, int to, ImportStaging.Staged staged) {
        dsl.transaction(c -> {
            DSLContext tx = c.dsl();
            // This transaction only: sorts, hashes and the trigram index's pending-list flushes work
            // in memory instead of in many small passes (PostgreSQL's default is 4 MB each).
            tx.setLocal(DSL.name("work_mem"), DSL.inline("64MB")).execute();
            tx.setLocal(DSL.name("gin_pending_list_limit"), DSL.inline("16MB")).execute();
            int rows = tx.fetchCount(IMPORT_ROWS, IMPORT_ROWS.IMPORT_ID.eq(imp.id()).and(IMPORT_ROWS.SEQ.between(from, to)));
            ImportMerge.Counts counts = rows == 0 ? new ImportMerge.Counts(0, 0)
                    : new ImportMerge(tx, imp.id(), imp.tag(), from, to).run(rows, staged.tags(), staged.optIns(), steps);
            tx.update(IMPORTS)
                    .set(IMPORTS.PROCESSED_ROWS, to)
                    .set(IMPORTS.CREATED, IMPORTS.CREATED.plus(counts.created()))
                    .set(IMPORTS.UPDATED, IMPORTS.UPDATED.plus(counts.updated()))
                    // Rows with errors were counted as skipped when they were staged.
                    .set(IMPORTS.SKIPPED, IMPORTS.SKIPPED.plus(rows - counts.created() - counts.updated()))
                    .set(IMPORTS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(IMPORTS.ID.eq(imp.id()))
                    .execute();
        });
    }
}
