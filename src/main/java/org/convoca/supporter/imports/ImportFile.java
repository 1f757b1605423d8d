package org.convoca.supporter.imports;

import static org.convoca.db.schema.Tables.IMPORT_CHUNKS;

import java.io.IOException;
import java.io.InputStream;
import org.jooq.DSLContext;

/**
 * An uploaded file kept in the database in 1 MB chunks: written as it streams in, read back one
 * chunk at a time, so neither side ever holds the whole file, and any instance can run the import.
 */
public final class ImportFile {
    static final int CHUNK = 1 << 20;

    private ImportFile() {
    }

    /** Stores the stream under the import; returns its size in bytes. */
    public static long store(DSLContext dsl, long importId, InputStream in) throws IOException {
        byte[] buf = new byte[CHUNK];
        long total = 0;
        int seq = 0;
        while (true) {
            int n = in.readNBytes(buf, 0, CHUNK);
            if (n <= 0) break;
            byte[] data = n == CHUNK ? buf.clone() : java.util.Arrays.copyOf(buf, n);
            dsl.insertInto(IMPORT_CHUNKS).set(IMPORT_CHUNKS.IMPORT_ID, importId).set(IMPORT_CHUNKS.SEQ, seq++)
                    .set(IMPORT_CHUNKS.DATA, data).execute();
            total += n;
            if (n < CHUNK) break;
        }
        return total;
    }

    public static InputStream open(DSLContext dsl, long importId) {
        return new ChunkStream(dsl, importId);
    }

    private static final class ChunkStream extends InputStream {
        private final DSLContext dsl;
        private final long importId;
        private int seq;
        private byte[] chunk = new byte[0];
        private int pos;
        private boolean done;

        ChunkStream(DSLContext dsl, long importId) {
            this.dsl = dsl;
            this.importId = importId;
        }

        private boolean fill() {
            if (done) return false;
            while (pos >= chunk.length) {
                byte[] next = dsl.select(IMPORT_CHUNKS.DATA).from(IMPORT_CHUNKS)
                        .where(IMPORT_CHUNKS.IMPORT_ID.eq(importId)).and(IMPORT_CHUNKS.SEQ.eq(seq))
                        .fetchOptional(IMPORT_CHUNKS.DATA).orElse(null);
                if (next == null) {
                    done = true;
                    return false;
                }
                seq++;
                chunk = next;
                pos = 0;
            }
            return true;
        }

        @Override
        public int read() {
            if (!fill()) return -1;
            return chunk[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            if (!fill()) return -1;
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
