package org.convoca.db;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Target;

/**
 * Generates the jOOQ classes from the schema the Flyway migrations produce on a real PostgreSQL
 * (DDLDatabase cannot read PostgreSQL features such as expression indexes). Run by
 * {@code mvn -q -Pjooq process-classes} after adding a migration; JooqCodeIsCurrentTest fails
 * when the committed classes drift. jooq-codegen is a provided dependency: not in the jar.
 */
public final class JooqCodegen {
    public static final String PACKAGE = "org.convoca.db.schema";

    private JooqCodegen() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "src/generated/java");
        Path pgDir = Files.createTempDirectory("convoca-codegen");
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(pgDir, 0);
             Database db = new Database(pg.url("postgres"), 2)) {
            db.migrate();
            generate(pg.url("postgres"), out);
        } finally {
            org.convoca.ops.Folders.deleteTree(pgDir);
        }
    }

    public static void generate(DatabaseUrl url, Path out) throws Exception {
        Configuration cfg = new Configuration()
                .withJdbc(new Jdbc().withDriver("org.postgresql.Driver").withUrl(url.jdbcUrl())
                        .withUser(url.username()).withPassword(url.password()))
                .withGenerator(new Generator()
                        .withDatabase(new org.jooq.meta.jaxb.Database()
                                .withName("org.jooq.meta.postgres.PostgresDatabase")
                                .withInputSchema("public")
                                .withOutputSchemaToDefault(true)
                                .withExcludes("flyway_schema_history"))
                        .withGenerate(new Generate()
                                .withJavaTimeTypes(true)
                                .withRecords(true)
                                .withPojos(false)
                                .withDaos(false)
                                .withGeneratedAnnotation(false)
                                .withSequences(true)
                                .withIndexes(true))
                        .withTarget(new Target().withPackageName(PACKAGE).withDirectory(out.toString())
                                .withClean(true)));
        GenerationTool.generate(cfg);
    }
}
