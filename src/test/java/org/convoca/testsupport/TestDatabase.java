package org.convoca.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.convoca.db.Database;
import org.convoca.db.DatabaseUrl;
import org.convoca.db.EmbeddedDatabase;

/**
 * Real PostgreSQL for tests: the server named by {@code TEST_DATABASE_URL}, or one embedded server
 * per test JVM. The schema is migrated once into a template database; every test class gets a fresh
 * database cloned from it (CREATE DATABASE … TEMPLATE), which takes milliseconds.
 */
public final class TestDatabase {
    private static final String TEMPLATE = "convoca_template";
    private static final AtomicInteger counter = new AtomicInteger();
    private static DatabaseUrl server;

    private TestDatabase() {
    }

    /** A fresh, migrated database of its own. */
    public static synchronized DatabaseUrl fresh() {
        DatabaseUrl admin = server();
        String name = "convoca_test_" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
        execute(admin, "create database " + name + " template " + TEMPLATE);
        return withDatabase(admin, name);
    }

    /** The maintenance database of the test server, for tests that create databases themselves. */
    public static synchronized DatabaseUrl server() {
        if (server == null) {
            server = startServer();
            execute(server, "drop database if exists " + TEMPLATE);
            execute(server, "create database " + TEMPLATE);
            try (Database db = new Database(withDatabase(server, TEMPLATE), 2)) {
                db.migrate();
            }
        }
        return server;
    }

    private static DatabaseUrl startServer() {
        String external = System.getenv("TEST_DATABASE_URL");
        if (external != null && !external.isBlank()) {
            return DatabaseUrl.parse(external);
        }
        try {
            Path dir = Files.createTempDirectory("convoca-test-pg");
            EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0);
            // The data folder goes with the server: every test JVM makes one (50-900 MB), and a
            // developer's machine had gathered 55 GB of them in /tmp.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pg.close();
                org.convoca.ops.Folders.deleteTree(dir);
            }));
            DatabaseUrl url = pg.url("postgres");
            // Throw-away data: commits need not wait for the disk (about 5 ms each here), as before
            // the embedded server became durable. DatabaseOutageTest runs its own, durable server.
            execute(url, "alter system set synchronous_commit = off");
            execute(url, "select pg_reload_conf()");
            return url;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static DatabaseUrl withDatabase(DatabaseUrl url, String database) {
        String jdbc = url.jdbcUrl();
        int q = jdbc.indexOf('?');
        String base = q < 0 ? jdbc : jdbc.substring(0, q);
        String query = q < 0 ? "" : jdbc.substring(q);
        String prefix = base.substring(0, base.lastIndexOf('/') + 1);
        return new DatabaseUrl(prefix + database + query, url.username(), url.password());
    }

    static void execute(DatabaseUrl url, String sql) {
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.username(), url.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database setup failed: " + sql, e);
        }
    }
}
