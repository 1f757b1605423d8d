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
 * Runs one import in two steps: {@link ImportStaging} parses, checks and COPYs the whole file into
 * import_rows; then the staged rows are merged into people a chunk of file positions ({@link #MERGE_CHUNK}) at a
 * time (see {@link ImportMerge}), each chunk in one transaction that also advances processed_rows.
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
        ImportStaging.Staged staged = new ImportStaging(dsl, imp, region, merged).run();
        long t1 = System.nanoTime();
        for (int from = merged + 1; from <= staged.totalRows(); from += chunkSize) {
            mergeChunk(from, Math.min(staged.totalRows(), from + chunkSize - 1), staged);
        }
        long t2 = System.nanoTime();
        discardStaged();
        // Timings only (no row data), so an operator can see which step a slow import spends its time in.
        log.info("Import {}: staged {} rows in {} ms, merged in {} ms {}, cleaned up in {} ms", imp.id(),
                staged.totalRows() - merged, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, steps,
                (System.nanoTime() - t2) / 1_000_000);
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
