package org.convoca.supporter.imports;

import static org.convoca.db.schema.Tables.IMPORTS;
import static org.convoca.db.schema.Tables.IMPORT_ERRORS;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import java.util.Optional;
import org.convoca.db.schema.tables.records.ImportsRecord;
import org.convoca.web.Json;
import org.convoca.web.Paged;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/** Imports: created on upload, started once columns are confirmed, claimed and advanced by the worker. */
public final class ImportRepository {
    /** A row that could not be imported, and why. */
    public record RowError(int row, String message) {
    }

    private final DSLContext dsl;

    public ImportRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public DSLContext dsl() {
        return dsl;
    }

    public long create(String filename, String tag, Long createdBy) {
        return dsl.insertInto(IMPORTS).set(IMPORTS.FILENAME, filename).set(IMPORTS.TAG, blankToNull(tag))
                .set(IMPORTS.CREATED_BY, createdBy).returningResult(IMPORTS.ID).fetchSingle().value1();
    }

    public void describe(long id, long bytes, CsvFormat format, ColumnMapping mapping) {
        dsl.update(IMPORTS).set(IMPORTS.BYTES, bytes).set(IMPORTS.CHARSET, format.charset().name())
                .set(IMPORTS.SEPARATOR, String.valueOf(format.separator())).set(IMPORTS.MAPPING, json(mapping))
                .set(IMPORTS.UPDATED_AT, DSL.currentOffsetDateTime()).where(IMPORTS.ID.eq(id)).execute();
    }

    /** Confirms the columns and queues the import; false unless it was pending. */
    public boolean start(long id, ColumnMapping mapping, String tag) {
        return dsl.update(IMPORTS).set(IMPORTS.MAPPING, json(mapping)).set(IMPORTS.TAG, blankToNull(tag))
                .set(IMPORTS.STATUS, ImportStatus.RUNNING.value()).set(IMPORTS.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(IMPORTS.ID.eq(id)).and(IMPORTS.STATUS.eq(ImportStatus.PENDING.value())).execute() > 0;
    }

    public Optional<Import> find(long id) {
        return dsl.selectFrom(IMPORTS).where(IMPORTS.ID.eq(id)).fetchOptional(ImportRepository::toImport);
    }

    public Paged<Import> page(int page, int perPage) {
        int total = dsl.fetchCount(IMPORTS);
        List<Import> items = dsl.selectFrom(IMPORTS).orderBy(IMPORTS.ID.desc()).limit(perPage).offset((page - 1) * perPage)
                .fetch(ImportRepository::toImport);
        return new Paged<>(items, total, page, perPage);
    }

    public List<RowError> errors(long id, int limit) {
        return dsl.select(IMPORT_ERRORS.ROW_NUMBER, IMPORT_ERRORS.MESSAGE).from(IMPORT_ERRORS)
                .where(IMPORT_ERRORS.IMPORT_ID.eq(id)).orderBy(IMPORT_ERRORS.ROW_NUMBER).limit(limit)
                .fetch(r -> new RowError(r.value1(), r.value2()));
    }

    /**
     * Claims the oldest running import whose lease is free, taking a lease on it. SKIP LOCKED lets
     * several instances poll at once without waiting on each other or taking the same import.
     */
    public Optional<Long> claim(int leaseSeconds) {
        return dsl.transactionResult(c -> {
            DSLContext tx = c.dsl();
            Optional<Long> id = tx.select(IMPORTS.ID).from(IMPORTS)
                    .where(IMPORTS.STATUS.eq(ImportStatus.RUNNING.value()))
                    .and(IMPORTS.LOCKED_UNTIL.isNull().or(IMPORTS.LOCKED_UNTIL.lt(DSL.currentOffsetDateTime())))
                    .orderBy(IMPORTS.ID).limit(1).forUpdate().skipLocked()
                    .fetchOptional(IMPORTS.ID);
            id.ifPresent(i -> tx.update(IMPORTS).set(IMPORTS.LOCKED_UNTIL, leaseEnd(leaseSeconds))
                    .set(IMPORTS.ATTEMPTS, IMPORTS.ATTEMPTS.plus(1)).where(IMPORTS.ID.eq(i)).execute());
            return id;
        });
    }

    /** Extends the lease of an import this worker is running (its heartbeat); false if it is no longer running. */
    public boolean renewLease(long id, int leaseSeconds) {
        return dsl.update(IMPORTS).set(IMPORTS.LOCKED_UNTIL, leaseEnd(leaseSeconds))
                .where(IMPORTS.ID.eq(id)).and(IMPORTS.STATUS.eq(ImportStatus.RUNNING.value())).execute() > 0;
    }

    /** The lease is measured on the database's clock, the one every instance compares it with. */
    private static org.jooq.Field<java.time.OffsetDateTime> leaseEnd(int seconds) {
        return DSL.currentOffsetDateTime().plus(org.jooq.types.DayToSecond.valueOf(java.time.Duration.ofSeconds(seconds)));
    }

    /** How many times the import has been claimed, this run included. */
    public int attempts(long id) {
        return dsl.select(IMPORTS.ATTEMPTS).from(IMPORTS).where(IMPORTS.ID.eq(id)).fetchOptional(IMPORTS.ATTEMPTS).orElse(0);
    }

    public void finish(long id, int totalRows) {
        dsl.update(IMPORTS).set(IMPORTS.STATUS, ImportStatus.DONE.value()).set(IMPORTS.TOTAL_ROWS, totalRows)
                .set(IMPORTS.BYTES_READ, IMPORTS.BYTES)
                .set(IMPORTS.FINISHED_AT, DSL.currentOffsetDateTime()).set(IMPORTS.UPDATED_AT, DSL.currentOffsetDateTime())
                .setNull(IMPORTS.LOCKED_UNTIL).where(IMPORTS.ID.eq(id)).execute();
    }

    public void fail(long id, String reason) {
        dsl.update(IMPORTS).set(IMPORTS.STATUS, ImportStatus.FAILED.value()).set(IMPORTS.FAILURE, reason)
                .set(IMPORTS.FINISHED_AT, DSL.currentOffsetDateTime()).set(IMPORTS.UPDATED_AT, DSL.currentOffsetDateTime())
                .setNull(IMPORTS.LOCKED_UNTIL).where(IMPORTS.ID.eq(id)).execute();
    }

    static JSONB json(ColumnMapping mapping) {
        try {
            return JSONB.valueOf(Json.MAPPER.writeValueAsString(mapping));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ColumnMapping mapping(JSONB json) {
        try {
            ColumnMapping m = json == null ? null : Json.MAPPER.readValue(json.data(), ColumnMapping.class);
            return m == null || m.headers() == null ? new ColumnMapping(List.of(), List.of()) : m;
        } catch (JsonProcessingException e) {
            return new ColumnMapping(List.of(), List.of());
        }
    }

    private static Import toImport(ImportsRecord r) {
        return new Import(r.getId(), ImportStatus.parse(r.getStatus()).orElse(ImportStatus.FAILED), r.getFilename(),
                r.getTag(), mapping(r.getMapping()), r.getCharset(), r.getSeparator(), r.getBytes(), r.getTotalRows(),
                r.getProcessedRows(), r.getCreated(), r.getUpdated(), r.getSkipped(), r.getErrorCount(), r.getFailure(),
                r.getCreatedAt(), r.getUpdatedAt(), r.getFinishedAt(), r.getBytesRead());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
