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
     * For the progress bar: reading and checking the file is the first tenth, merging the rows into
     * people (most of the time of a large import) the rest.
     */
    public int percent() {
        if (status == ImportStatus.DONE) return 100;
        if (bytes == 0) return 0;
        if (bytesRead < bytes || totalRows == 0) return (int) (bytesRead * 10 / bytes);
        return (int) Math.min(99, 10 + (long) processedRows * 90 / totalRows);
    }

    public boolean pending() {
        return status == ImportStatus.PENDING;
    }

    public boolean running() {
        return status == ImportStatus.RUNNING;
    }
}
