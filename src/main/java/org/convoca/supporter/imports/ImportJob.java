package org.convoca.supporter.imports;

import static org.convoca.db.schema.Tables.IMPORTS;
import static org.convoca.db.schema.Tables.IMPORT_ERRORS;
import static org.convoca.db.schema.Tables.IMPORT_ROWS;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.convoca.web.Json;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;

/**
 * Runs one import: streams the stored file through fastcsv, checks each row, and every
 * {@link #BATCH} rows copies the good ones into import_rows (PostgreSQL COPY) and merges them
 * (see {@link ImportMerge}) in one transaction that also records the progress. Memory stays at one
 * batch whatever the file size; a crash resumes after the last committed batch.
 */
final class ImportJob {
    static final int BATCH = 10_000;
    static final int LEASE_SECONDS = 120;

    private final DSLContext dsl;
    private final Import imp;
    private final String region;
    private final StringBuilder copy = new StringBuilder(1 << 20);
    private final List<ImportRepository.RowError> errors = new ArrayList<>();
    private final Set<String> tags = new LinkedHashSet<>();
    private int inBatch;
    private boolean optIns;
    private int rowsSeen;

    ImportJob(DSLContext dsl, Import imp, String region) {
        this.dsl = dsl;
        this.imp = imp;
        this.region = region;
    }

    void run() throws IOException {
        CountingStream counted = new CountingStream(ImportFile.open(dsl, imp.id()));
        try (Reader reader = CsvFormat.reader(counted, Charset.forName(imp.charset()));
             CsvReader<CsvRecord> csv = CsvReader.builder().fieldSeparator(imp.separator().charAt(0))
                     .allowExtraFields(true).allowMissingFields(true).allowUnclosedQuote(true)
                     .allowExtraCharsAfterClosingQuote(true).maxBufferSize(1 << 20).ofCsvRecord(reader)) {
            boolean header = true;
            for (CsvRecord record : csv) {
                if (header) {
                    header = false;
                    continue;
                }
                rowsSeen++;
                if (rowsSeen <= imp.processedRows()) continue;  // done before a restart
                add(ImportRow.read((int) record.getStartingLineNumber(), record.getFields(), imp.mapping(), region, imp.tag()));
                if (inBatch >= BATCH) flush(counted.count);
            }
        }
        flush(imp.bytes());
    }

    private void add(ImportRow row) {
        inBatch++;
        if (!row.ok()) {
            errors.add(new ImportRepository.RowError(row.rowNumber(), row.error()));
            return;
        }
        tags.addAll(row.tags());
        optIns |= row.optIn();
        copy.append(imp.id()).append('\t').append(row.rowNumber()).append('\t');
        text(row.email()).append('\t');
        text(row.emailNormalized()).append('\t');
        text(row.givenName()).append('\t');
        text(row.familyName()).append('\t');
        text(row.phone()).append('\t');
        text(row.postalCode()).append('\t');
        if (row.language() == null) copy.append("\\N");
        else text(row.language());
        copy.append('\t');
        text(row.school()).append('\t');
        text(json(row)).append('\t');
        copy.append(row.optIn() ? 't' : 'f').append('\t');
        text(org.convoca.supporter.PersonRepository.newReferralCode()).append('\t');
        text(String.join("\n", row.tags())).append('\n');
    }

    private void flush(long bytesRead) {
        if (inBatch == 0 && rowsSeen > imp.processedRows()) return;
        int batchRows = inBatch;
        String data = copy.toString();
        List<ImportRepository.RowError> batchErrors = List.copyOf(errors);
        Set<String> batchTags = Set.copyOf(tags);
        boolean batchOptIns = optIns;
        int processed = rowsSeen;
        dsl.transaction(c -> {
            DSLContext tx = c.dsl();
            if (!data.isEmpty()) copyIn(tx, data);
            ImportMerge.Counts counts = data.isEmpty() ? new ImportMerge.Counts(0, 0) : new ImportMerge(tx, imp.id(), imp.tag()).run(batchTags, batchOptIns);
            if (!batchErrors.isEmpty()) {
                var insert = tx.insertInto(IMPORT_ERRORS, IMPORT_ERRORS.IMPORT_ID, IMPORT_ERRORS.ROW_NUMBER, IMPORT_ERRORS.MESSAGE);
                for (var e : batchErrors) insert = insert.values(imp.id(), e.row(), e.message());
                insert.onConflictDoNothing().execute();
            }
            tx.update(IMPORTS)
                    .set(IMPORTS.PROCESSED_ROWS, processed)
                    .set(IMPORTS.TOTAL_ROWS, processed)
                    .set(IMPORTS.CREATED, IMPORTS.CREATED.plus(counts.created()))
                    .set(IMPORTS.UPDATED, IMPORTS.UPDATED.plus(counts.updated()))
                    .set(IMPORTS.SKIPPED, IMPORTS.SKIPPED.plus(batchRows - counts.created() - counts.updated()))
                    .set(IMPORTS.ERROR_COUNT, IMPORTS.ERROR_COUNT.plus(batchErrors.size()))
                    .set(IMPORTS.BYTES_READ, Math.min(bytesRead, imp.bytes()))
                    .set(IMPORTS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .set(IMPORTS.LOCKED_UNTIL, java.time.OffsetDateTime.now().plusSeconds(LEASE_SECONDS))
                    .where(IMPORTS.ID.eq(imp.id()))
                    .execute();
        });
        copy.setLength(0);
        errors.clear();
        tags.clear();
        optIns = false;
        inBatch = 0;
    }

    /**
     * jOOQ has no COPY, so this one statement is assembled from the generated table and column
     * names; the data itself travels in COPY's text format, never inside the statement.
     */
    private static void copyIn(DSLContext tx, String data) {
        String columns = java.util.Arrays.stream(IMPORT_ROWS.fields()).map(f -> tx.render(DSL.name(f.getName())))
                .collect(Collectors.joining(", "));
        String sql = "COPY " + tx.render(IMPORT_ROWS) + " (" + columns + ") FROM STDIN";
        tx.connection(conn -> conn.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(data)));
    }

    /** COPY text format: backslash, tab, newline and carriage return escaped. */
    private StringBuilder text(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> copy.append("\\\\");
                case '\t' -> copy.append("\\t");
                case '\n' -> copy.append("\\n");
                case '\r' -> copy.append("\\r");
                default -> copy.append(ch);
            }
        }
        return copy;
    }

    private static String json(ImportRow row) {
        if (row.customFields().isEmpty()) return "{}";
        try {
            return Json.MAPPER.writeValueAsString(row.customFields());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "{}";
        }
    }

    /** Bytes handed to the CSV reader so far, for the progress bar. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
