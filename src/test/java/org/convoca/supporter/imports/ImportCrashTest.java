package org.convoca.supporter.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.IMPORTS;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.convoca.db.Database;
import org.convoca.db.DatabaseUrl;
import org.convoca.db.schema.tables.records.ImportsRecord;
import org.convoca.testsupport.TestDatabase;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * kill -9 during an import: a real Convoca process ({@code Main serve}) runs the import, is killed
 * with SIGKILL in the middle of the merge, and a new process resumes it. What the killed process
 * left must be whole chunks only, and the end result must equal an uninterrupted run of the same
 * file on a database of its own.
 */
class ImportCrashTest {
    static final int ROWS = 24_000;
    static final int CHUNK = 2_000;

    /**
     * Every 997th row has a bad email; every 10th row repeats the address of the row 3,000 before
     * it under another name, so later chunks update people that earlier chunks created.
     */
    static byte[] file() {
        StringBuilder csv = new StringBuilder("first_name,last_name,email,phone,zip_code,school\n");
        for (int i = 1; i <= ROWS; i++) {
            String email = i % 997 == 0 ? "not-an-email" : i % 10 == 0 && i > 3_000 ? "kid" + (i - 3_000) + "@example.org" : "kid" + i + "@example.org";
            csv.append("Nombre").append(i).append(",Apellido").append(i % 97).append(',').append(email)
                    .append(",(213) 555-").append(String.format("%04d", i % 10_000)).append(',').append(90001 + i % 50)
                    .append(",Garfield High\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void an_import_killed_mid_merge_resumes_in_a_new_process_to_the_result_of_an_uninterrupted_run() throws Exception {
        byte[] file = file();
        DatabaseUrl url = TestDatabase.fresh();
        try (Database db = new Database(url, 2)) {
            DSLContext dsl = db.dsl();
            long id = upload(dsl, file);

            Process first = serve(url, "first");
            ImportsRecord midway;
            try {
                midway = await(dsl, id, r -> r.getProcessedRows() >= 2 * CHUNK, Duration.ofMinutes(3));
            } finally {
                first.destroyForcibly();  // SIGKILL: no shutdown hook, no rollback by the app
                first.waitFor();
            }
            ImportsRecord killed = dsl.selectFrom(IMPORTS).where(IMPORTS.ID.eq(id)).fetchSingle();
            assertThat(midway.getStatus()).isEqualTo("running");
            assertThat(killed.getStatus()).isEqualTo("running");
            assertThat(killed.getProcessedRows()).as("killed mid-import").isLessThan(ROWS);
            // Nothing half-merged: exactly the people of the committed chunks exist, each tagged and on the timeline.
            int[] whole = committedState(dsl, id);
            assertThat(whole[0]).isEqualTo(killed.getCreated()).isPositive();
            assertThat(whole[1]).isEqualTo(whole[0]);
            assertThat(whole[2]).isEqualTo(whole[0]);

            Process second = serve(url, "second");
            ImportsRecord done;
            try {
                done = await(dsl, id, r -> !r.getStatus().equals("running"), Duration.ofMinutes(4));
            } finally {
                second.destroy();
                second.waitFor();
            }
            assertThat(done.getStatus()).isEqualTo("done");
            assertThat(done.getAttempts()).isEqualTo(2);

            Uninterrupted reference = uninterrupted(file);
            assertThat(List.of(done.getTotalRows(), done.getCreated(), done.getUpdated(), done.getSkipped(), done.getErrorCount()))
                    .isEqualTo(reference.counts());
            assertThat(people(dsl)).isEqualTo(reference.people());
        }
    }

    record Uninterrupted(List<Integer> counts, List<String> people) {
    }

    /** The same file imported in this JVM without interruption, on a fresh database. */
    static Uninterrupted uninterrupted(byte[] file) throws IOException {
        try (Database db = new Database(TestDatabase.fresh(), 2); ImportWorker worker = new ImportWorker(db.dsl(), "US", CHUNK)) {
            long id = upload(db.dsl(), file);
            assertThat(worker.drain()).isEqualTo(1);
            ImportsRecord r = db.dsl().selectFrom(IMPORTS).where(IMPORTS.ID.eq(id)).fetchSingle();
            assertThat(r.getStatus()).isEqualTo("done");
            assertThat(r.getErrorCount()).isEqualTo(ROWS / 997);
            assertThat(r.getUpdated()).as("later chunks update people that earlier chunks created").isPositive();
            return new Uninterrupted(List.of(r.getTotalRows(), r.getCreated(), r.getUpdated(), r.getSkipped(), r.getErrorCount()),
                    people(db.dsl()));
        }
    }

    /** Uploads the file without a worker in this JVM (a closed worker ignores the wake-up). */
    static long upload(DSLContext dsl, byte[] file) throws IOException {
        ImportWorker idle = new ImportWorker(dsl, "US");
        idle.close();
        return new Imports(dsl, idle).upload(new ByteArrayInputStream(file), "kids.csv", "Crash", null, true).id();
    }

    /** People of the import, tagged people and "imported" timeline rows, as they stand committed. */
    static int[] committedState(DSLContext dsl, long id) {
        int people = dsl.fetchCount(PEOPLE, PEOPLE.SOURCE.eq("import:" + id));
        int tagged = dsl.fetchCount(PERSON_TAGS);
        // As a person's page shows it: a stored row (people the import changed) or the entry shown
        // from people.source (people it created).
        var directory = new org.convoca.supporter.PeopleDirectory(dsl);
        int timeline = (int) dsl.select(PEOPLE.ID).from(PEOPLE).fetch(PEOPLE.ID).stream()
                .filter(p -> directory.timeline(p, 200).stream()
                        .anyMatch(a -> a.kind().equals("person.imported") && Long.valueOf(id).equals(a.subjectId())))
                .count();
        return new int[] {people, tagged, timeline};
    }

    /** Everything an organizer would see of each person, one line per person in address order. */
    static List<String> people(DSLContext dsl) {
        var tags = DSL.field(DSL.selectCount().from(PERSON_TAGS).where(PERSON_TAGS.PERSON_ID.eq(PEOPLE.ID)));
        // "Imported" entries as the timeline shows them: stored rows, plus one from people.source for people an import created.
        var imported = DSL.field(DSL.selectCount().from(ACTIVITIES).where(ACTIVITIES.PERSON_ID.eq(PEOPLE.ID))
                .and(ACTIVITIES.KIND.eq("person.imported"))).plus(DSL.when(PEOPLE.SOURCE.startsWith("import:"), 1).otherwise(0));
        return dsl.select(PEOPLE.EMAIL_NORMALIZED, PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME, PEOPLE.PHONE, PEOPLE.POSTAL_CODE,
                        PEOPLE.SCHOOL, PEOPLE.EMAIL_STATUS, tags, imported)
                .from(PEOPLE).orderBy(PEOPLE.EMAIL_NORMALIZED)
                .fetch(Record::toString).stream().map(s -> s.replaceAll("\\s+", " ")).toList();
    }

    static ImportsRecord await(DSLContext dsl, long id, Predicate<ImportsRecord> condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        ImportsRecord r = null;
        while (Instant.now().isBefore(deadline)) {
            r = dsl.selectFrom(IMPORTS).where(IMPORTS.ID.eq(id)).fetchSingle();
            if (condition.test(r)) return r;
            Thread.sleep(50);  // polling another process's progress: there is nothing to await in this JVM
        }
        throw new AssertionError("import " + id + " did not get there in " + timeout + "; last: " + r);
    }

    /**
     * A real Convoca server process on the test's database, output in target/. Small merge chunks,
     * and staging chunks of another size, so the merge waits on staging mid-file; the reference
     * run stages the file in one go, and must still come out the same.
     */
    static Process serve(DatabaseUrl url, String name) throws IOException {
        String jdbc = url.jdbcUrl();
        if (url.username() != null) {
            jdbc += (jdbc.contains("?") ? "&" : "?") + "user=" + url.username()
                    + (url.password() == null ? "" : "&password=" + url.password());
        }
        Path log = Files.createDirectories(Path.of("target", "import-crash")).resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dconvoca.import.chunk=" + CHUNK, "-Dconvoca.import.stage_chunk=" + CHUNK * 3 / 4, "-cp", System.getProperty("java.class.path"),
                "org.convoca.Main", "serve");
        pb.environment().put("DATABASE_URL", jdbc);
        pb.environment().put("PORT", String.valueOf(freePort()));
        pb.environment().put("DATA_DIR", Files.createDirectories(Path.of("target", "import-crash", name)).toString());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
