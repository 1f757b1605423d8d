package org.convoca.supporter.imports;

import static org.convoca.db.schema.Tables.IMPORTS;
import static org.convoca.db.schema.Tables.IMPORT_ROWS;

import java.io.IOException;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one import in two steps: {@link ImportStaging} parses, checks and COPYs the whole file into
 * import_rows; then the staged rows are merged into people {@link #MERGE_CHUNK} file positions at a
 * time (see {@link ImportMerge}), each chunk in one transaction that also advances processed_rows.
 * A chunk is merged entirely or not at all, so after a crash (a killed process, a lost connection)
 * nothing is half-merged: the next attempt drops whatever was staged, stages again from the last
 * merged position and goes on, to the same result an uninterrupted run gives.
 */
final class ImportJob {
    static final int MERGE_CHUNK = 100_000;
    private static final Logger log = LoggerFactory.getLogger(ImportJob.class);

    private final DSLContext dsl;
    private final Import imp;
    private final String region;

    ImportJob(DSLContext dsl, Import imp, String region) {
        this.dsl = dsl;
        this.imp = imp;
        this.region = region;
    }

    void run() throws IOException {
        int merged = imp.processedRows();
        discardStaged();
        long t0 = System.nanoTime();
        ImportStaging.Staged staged = new ImportStaging(dsl, imp, region, merged).run();
        long t1 = System.nanoTime();
        for (int from = merged + 1; from <= staged.totalRows(); from += MERGE_CHUNK) {
            mergeChunk(from, Math.min(staged.totalRows(), from + MERGE_CHUNK - 1), staged);
        }
        long t2 = System.nanoTime();
        discardStaged();
        // Timings only (no row data), so an operator can see which step a slow import spends its time in.
        log.info("Import {}: staged {} rows in {} ms, merged in {} ms, cleaned up in {} ms", imp.id(),
                staged.totalRows() - merged, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
    }

    private void discardStaged() {
        dsl.deleteFrom(IMPORT_ROWS).where(IMPORT_ROWS.IMPORT_ID.eq(imp.id())).execute();
    }

    private void mergeChunk(int from, int to, ImportStaging.Staged staged) {
        dsl.transaction(c -> {
            DSLContext tx = c.dsl();
            int rows = tx.fetchCount(IMPORT_ROWS, IMPORT_ROWS.IMPORT_ID.eq(imp.id()).and(IMPORT_ROWS.SEQ.between(from, to)));
            ImportMerge.Counts counts = rows == 0 ? new ImportMerge.Counts(0, 0)
                    : new ImportMerge(tx, imp.id(), imp.tag(), from, to).run(staged.tags(), staged.optIns());
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
