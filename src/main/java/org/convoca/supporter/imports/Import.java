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

    /** For the progress bar: percent of the file read. */
    public int percent() {
        if (status == ImportStatus.DONE) return 100;
        return bytes == 0 ? 0 : (int) Math.min(99, bytesRead * 100 / bytes);
    }

    public boolean pending() {
        return status == ImportStatus.PENDING;
    }

    public boolean running() {
        return status == ImportStatus.RUNNING;
    }
}
