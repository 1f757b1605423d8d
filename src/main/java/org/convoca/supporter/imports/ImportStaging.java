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
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.convoca.supporter.PersonRepository;
import org.convoca.web.Json;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;

/**
 * The first half of an import (it runs beside the merge, one chunk ahead): streams the stored file through fastcsv, checks each row, and
 * copies the good ones into import_rows (PostgreSQL COPY) every {@link #CHUNK} rows, in a
 * transaction that also records the rows' errors and the bytes read. Memory stays at one chunk
 * whatever the file size. Rows at or before {@code fromSeq} were merged by an earlier attempt and
 * are only counted.
 */
final class ImportStaging {
    /** Rows per COPY transaction; {@code -Dconvoca.import.stage_chunk=N} changes it (the crash test uses small ones). */
    static final int CHUNK = Math.max(1, Integer.getInteger("convoca.import.stage_chunk", 50_000));

    /** What the merge needs to know about the staged rows. */
    record Staged(int totalRows, Set<String> tags, boolean optIns) {
    }

    private final DSLContext dsl;
    private final Import imp;
    private final String region;
    private final int fromSeq;
    private final Consumer<Staged> progress;
    private final StringBuilder copy = new StringBuilder(1 << 22);
    private final List<ImportRepository.RowError> errors = new ArrayList<>();
    private final Set<String> tags = new LinkedHashSet<>();
    private boolean optIns;
    private int inChunk;
    private int seq;

    /** {@code progress} hears, after each committed chunk, how far the file is staged. */
    ImportStaging(DSLContext dsl, Import imp, String region, int fromSeq, Consumer<Staged> progress) {
        this.dsl = dsl;
        this.imp = imp;
        this.region = region;
        this.fromSeq = fromSeq;
        this.progress = progress;
    }

    Staged run() throws IOException {
        CountingStream counted = new CountingStream(ImportFile.open(dsl, imp.id()));
        try (Reader reader = CsvFormat.reader(counted, Charset.forName(imp.charset()));
             CsvReader<CsvRecord> csv = Imports.reader(reader, imp.separator().charAt(0))) {
            boolean header = true;
            for (CsvRecord record : csv) {
                if (header) {
                    header = false;
                    continue;
                }
                seq++;
                if (seq <= fromSeq) continue;  // merged before a restart
                add(ImportRow.read((int) record.getStartingLineNumber(), record.getFields(), imp.mapping(), region, imp.tag()));
                if (inChunk >= CHUNK) {
                    flush(counted.count);
                    // The merge failed and stopped waiting for the rest.
                    if (Thread.currentThread().isInterrupted()) throw new java.io.InterruptedIOException("import merge stopped");
                    progress.accept(new Staged(seq, Set.copyOf(tags), optIns));
                }
            }
        }
        flush(imp.bytes());
        return new Staged(seq, Set.copyOf(tags), optIns);
    }

    private void add(ImportRow row) {
        inChunk++;
        if (!row.ok()) {
            errors.add(new ImportRepository.RowError(row.rowNumber(), row.error()));
            return;
        }
        tags.addAll(row.tags());
        optIns |= row.optIn();
        copy.append(imp.id()).append('\t').append(seq).append('\t').append(row.rowNumber()).append('\t');
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
        text(PersonRepository.newReferralCode()).append('\t');
        text(String.join("\n", row.tags())).append('\n');
    }

    private void flush(long bytesRead) {
        String data = copy.toString();
        List<ImportRepository.RowError> chunkErrors = List.copyOf(errors);
        int seen = seq;
        dsl.transaction(c -> {
            DSLContext tx = c.dsl();
            if (!data.isEmpty()) copyIn(tx, data);
            int newErrors = 0;
            // 3 bind values a row: 5,000 rows a statement stays under PostgreSQL's 65,535.
            for (int from = 0; from < chunkErrors.size(); from += 5_000) {
                var insert = tx.insertInto(IMPORT_ERRORS, IMPORT_ERRORS.IMPORT_ID, IMPORT_ERRORS.ROW_NUMBER, IMPORT_ERRORS.MESSAGE);
                for (var e : chunkErrors.subList(from, Math.min(chunkErrors.size(), from + 5_000))) {
                    insert = insert.values(imp.id(), e.row(), e.message());
                }
                // A resumed import meets its unmerged rows' errors again: only new ones are counted.
                newErrors += insert.onConflictDoNothing().execute();
            }
            tx.update(IMPORTS)
                    .set(IMPORTS.TOTAL_ROWS, DSL.greatest(IMPORTS.TOTAL_ROWS, DSL.val(seen)))
                    .set(IMPORTS.SKIPPED, IMPORTS.SKIPPED.plus(newErrors))
                    .set(IMPORTS.ERROR_COUNT, IMPORTS.ERROR_COUNT.plus(newErrors))
                    .set(IMPORTS.BYTES_READ, Math.min(bytesRead, imp.bytes()))
                    .set(IMPORTS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(IMPORTS.ID.eq(imp.id()))
                    .execute();
        });
        copy.setLength(0);
        errors.clear();
        inChunk = 0;
    }

    /**
     * jOOQ has no COPY, so this one statement is assembled from the generated table and column
     * names; the data itself travels in COPY's text format, never inside the statement.
     */
    private static void copyIn(DSLContext tx, String data) {
        String columns = java.util.Arrays.stream(new org.jooq.Field<?>[] {IMPORT_ROWS.IMPORT_ID, IMPORT_ROWS.SEQ,
                        IMPORT_ROWS.ROW_NUMBER, IMPORT_ROWS.EMAIL, IMPORT_ROWS.EMAIL_NORMALIZED, IMPORT_ROWS.GIVEN_NAME,
                        IMPORT_ROWS.FAMILY_NAME, IMPORT_ROWS.PHONE, IMPORT_ROWS.POSTAL_CODE, IMPORT_ROWS.LANGUAGE,
                        IMPORT_ROWS.SCHOOL, IMPORT_ROWS.CUSTOM_FIELDS, IMPORT_ROWS.OPT_IN, IMPORT_ROWS.REFERRAL_CODE,
                        IMPORT_ROWS.TAGS})
                .map(f -> tx.render(DSL.name(f.getName()))).collect(Collectors.joining(", "));
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
