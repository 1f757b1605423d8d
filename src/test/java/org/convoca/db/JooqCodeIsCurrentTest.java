package org.convoca.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.convoca.testsupport.TestDatabase;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Target;
import org.junit.jupiter.api.Test;

/**
 * The jOOQ classes under src/generated/java are committed. This test migrates a real PostgreSQL
 * with the Flyway scripts in db/, generates the classes again and fails when they differ.
 * To regenerate after adding a migration:
 * {@code mvn -q test -Dtest=JooqCodeIsCurrentTest -Dconvoca.regenerate=true}
 */
class JooqCodeIsCurrentTest {
    static final String PACKAGE = "org.convoca.db.schema";
    static final Path COMMITTED = Path.of("src/generated/java");

    @Test
    void generated_jooq_classes_match_the_migrated_schema() throws Exception {
        boolean regenerate = Boolean.getBoolean("convoca.regenerate");
        Path out = regenerate ? COMMITTED : Files.createTempDirectory("jooq-gen");
        generate(TestDatabase.fresh(), out);
        assertThat(read(out))
                .as("jOOQ classes are stale: run mvn -q test -Dtest=JooqCodeIsCurrentTest -Dconvoca.regenerate=true")
                .isEqualTo(read(COMMITTED));
    }

    static void generate(DatabaseUrl url, Path out) throws Exception {
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

    private static Map<String, String> read(Path root) throws IOException {
        Path dir = root.resolve(PACKAGE.replace('.', '/'));
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) return files;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }
}
