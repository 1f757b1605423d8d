package org.convoca.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL a newcomer gets without installing one: zonky's embedded server, with its data
 * kept under {@code DATA_DIR/postgres} so it survives restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private final EmbeddedPostgres postgres;  // null when attached to another process's server
    private final int port;
    private final Path portFile;

    private EmbeddedDatabase(EmbeddedPostgres postgres, int port, Path portFile) {
        this.postgres = postgres;
        this.port = port;
        this.portFile = portFile;
    }

    /**
     * Starts the embedded server, or, when a running Convoca already holds it (the lock on its
     * data directory), attaches to that server through the port it wrote down. This is what lets
     * {@code create-user} run in a second terminal while {@code serve} runs in the first.
     */
    public static EmbeddedDatabase startOrAttach(Path dataDir) {
        Path portFile = dataDir.toAbsolutePath().resolve("postgres.port");
        try {
            return start(dataDir, 0);
        } catch (IllegalStateException locked) {
            try {
                int port = Integer.parseInt(Files.readString(portFile).strip());
                log.info("Using the embedded PostgreSQL of the Convoca already running (port {})", port);
                return new EmbeddedDatabase(null, port, null);
            } catch (IOException | NumberFormatException e) {
                throw new IllegalStateException("The embedded PostgreSQL in " + dataDir
                        + " is locked by another process and its port is unknown", locked);
            }
        }
    }

    /** Starts (or restarts over existing data) a server on a free port, or {@code port} if not 0. */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        try {
            Path pgData = dataDir.toAbsolutePath().resolve("postgres");
            Files.createDirectories(pgData);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on")
                    // zonky turns synchronous_commit off by default (fine for throw-away test
                    // databases): a crash would then lose the last ~0.6 s of transactions that were
                    // already answered as committed, such as a parent's signature. This server keeps
                    // real data, so a commit returns only once it is on disk (DatabaseOutageTest).
                    .setServerConfig("synchronous_commit", "on");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            Path portFile = dataDir.toAbsolutePath().resolve("postgres.port");
            Files.writeString(portFile, String.valueOf(pg.getPort()));
            log.info("Embedded PostgreSQL running on port {} with data in {}", pg.getPort(), pgData);
            return new EmbeddedDatabase(pg, pg.getPort(), portFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
    }

    public int port() {
        return port;
    }

    public DatabaseUrl url(String database) {
        return new DatabaseUrl("jdbc:postgresql://localhost:" + port() + "/" + database, "postgres", "postgres");
    }

    @Override
    public void close() {
        if (postgres == null) return;
        try {
            Files.deleteIfExists(portFile);
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
