package org.convoca.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** The connection pool, the migrations and the jOOQ context, built from a {@link DatabaseUrl}. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final DSLContext dsl;

    public Database(DatabaseUrl url, int poolSize) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url.jdbcUrl());
        if (url.username() != null) hc.setUsername(url.username());
        if (url.password() != null) hc.setPassword(url.password());
        hc.setMaximumPoolSize(poolSize);
        hc.setPoolName("convoca");
        // Fail fast while PostgreSQL is away so /healthz and pages answer instead of hanging;
        // the pool reconnects by itself when the server returns.
        hc.setConnectionTimeout(3_000);
        hc.setValidationTimeout(2_000);
        hc.setInitializationFailTimeout(-1);
        this.dataSource = new HikariDataSource(hc);
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES,
                new Settings().withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED));
    }

    /** Applies the migrations under {@code db/migration} (on the classpath: the jar, or target/classes). */
    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DSLContext dsl() {
        return dsl;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
