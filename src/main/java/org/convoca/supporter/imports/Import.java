package org.convoca.supporter.imports;

import java.time.OffsetDateTime;

/** An import and its progress. */
public record Import(long id, ImportStatus status, String filename, String tag, ColumnMapping mapping, String charset,
                     String separator, long bytes, int totalRows, int processedRows, int created, int updated,
                     int skipped, int errorCount, String failure, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                     OffsetDateTime finishedAt, long bytesRead) {

    public String statusValue() {
        return status.value();
    }

    /**
     * For the progress bar: mostly the rows merged into people (the slow part), out of the rows
     * the file holds, estimated from the share of it read so far; reading itself counts for 5 %.
     */
    public int percent() {
        if (status == ImportStatus.DONE) return 100;
        if (bytes == 0 || bytesRead == 0 || totalRows == 0) return 0;
        long estimatedRows = bytesRead >= bytes ? totalRows : totalRows * bytes / bytesRead;
        return (int) Math.min(99, bytesRead * 5 / bytes + (long) processedRows * 95 / Math.max(1, estimatedRows));
    }

    public boolean pending() {
        return status == ImportStatus.PENDING;
    }

    public boolean running() {
        return status == ImportStatus.RUNNING;
    }
}
