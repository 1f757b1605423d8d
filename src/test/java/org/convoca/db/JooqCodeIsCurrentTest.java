package org.convoca.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.convoca.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The jOOQ classes under src/generated/java are committed. This test migrates a real PostgreSQL
 * with the Flyway scripts in db/, generates the classes again and fails when they differ.
 * Regenerate after adding a migration with {@code mvn -q -Pjooq process-classes}.
 */
class JooqCodeIsCurrentTest {
    static final Path COMMITTED = Path.of("src/generated/java");

    @Test
    void generated_jooq_classes_match_the_migrated_schema() throws Exception {
        Path out = Files.createTempDirectory("jooq-gen");
        JooqCodegen.generate(TestDatabase.fresh(), out);
        assertThat(read(out))
                .as("jOOQ classes are stale: run mvn -q -Pjooq process-classes")
                .isEqualTo(read(COMMITTED));
    }

    private static Map<String, String> read(Path root) throws IOException {
        Path dir = root.resolve(JooqCodegen.PACKAGE.replace('.', '/'));
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
