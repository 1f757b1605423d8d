package org.convoca.bench;

import static org.convoca.db.schema.Tables.PEOPLE;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.convoca.db.Database;
import org.convoca.db.DatabaseUrl;
import org.convoca.supporter.SegmentCompiler;
import org.convoca.supporter.SegmentFilter;
import org.convoca.supporter.SegmentFilter.All;
import org.convoca.supporter.SegmentFilter.Any;
import org.convoca.supporter.SegmentFilter.AttendedAtLeast;
import org.convoca.supporter.SegmentFilter.AttendedEvent;
import org.convoca.supporter.SegmentFilter.EmailStatusIs;
import org.convoca.supporter.SegmentFilter.HasTag;
import org.convoca.supporter.SegmentFilter.JoinedAfter;
import org.convoca.supporter.SegmentFilter.Language;
import org.convoca.supporter.SegmentFilter.Not;
import org.convoca.supporter.SegmentFilter.PostalCode;
import org.convoca.supporter.SegmentFilter.SignedPetition;
import org.convoca.supporter.imports.Import;
import org.convoca.supporter.imports.ImportStatus;
import org.convoca.supporter.imports.ImportWorker;
import org.convoca.supporter.imports.Imports;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * bench/people/run.sh drives this: {@code segments URL} times segment counts;
 * {@code import URL FILE} times a full import (upload + background job) of a CSV file.
 */
public final class PeopleBench {
    private PeopleBench() {
    }

    public static void main(String[] args) throws Exception {
        try (Database db = new Database(DatabaseUrl.parse(args[1]), 4)) {
            if (args[0].equals("segments")) segments(db.dsl());
            else importFile(db.dsl(), args[2]);
        }
    }

    static void segments(DSLContext pooled) {
        // One connection for every count, so the server process's CPU time can be read from /proc
        // around the timed runs: on a machine shared with other builds the wall time mostly measures
        // waiting for a core, the CPU time what a count costs.
        pooled.connection(connection -> countSegments(DSL.using(connection, SQLDialect.POSTGRES)));
    }

    static void countSegments(DSLContext dsl) throws IOException {
        int pid = dsl.fetchSingle("select pg_backend_pid()").into(Integer.class);
        List<String> names = List.of(
                "tag AND language AND attended >= 2 events",
                "signed petition 3 OR attended event 5",
                "zip in (90011, 90022) AND subscribed AND joined after 2026-06-01 AND NOT tag",
                "attended >= 3 events (whole table)");
        List<SegmentFilter> segments = List.of(
                new All(List.of(new HasTag("Tag 7"), new Language("es"), new AttendedAtLeast(2))),
                new Any(List.of(new SignedPetition(3), new AttendedEvent(5))),
                new All(List.of(new Any(List.of(new PostalCode("90011"), new PostalCode("90022"))),
                        new EmailStatusIs("subscribed"), new JoinedAfter(LocalDate.of(2026, 6, 1)), new Not(new HasTag("Tag 3")))),
                new AttendedAtLeast(3));
        System.out.printf("people=%d activities=%d%n", dsl.fetchCount(PEOPLE),
                dsl.fetchCount(org.convoca.db.schema.Tables.ACTIVITIES));
        for (int s = 0; s < segments.size(); s++) {
            var condition = SegmentCompiler.compile(segments.get(s));
            int count = 0;
            for (int w = 0; w < 2; w++) count = dsl.fetchCount(PEOPLE, condition);
            long[] ms = new long[10];
            long cpuBefore = cpuMillis(pid);
            for (int i = 0; i < ms.length; i++) {
                long t = System.nanoTime();
                count = dsl.fetchCount(PEOPLE, condition);
                ms[i] = (System.nanoTime() - t) / 1_000_000;
            }
            long cpu = (cpuMillis(pid) - cpuBefore) / ms.length;
            Arrays.sort(ms);
            System.out.printf("segment | %s | count %d | median %d ms | max %d ms | server CPU %d ms per count%n",
                    names.get(s), count, ms[ms.length / 2], ms[ms.length - 1], cpu);
        }
    }

    /** User + system CPU time of a local server process (fields 14 and 15 of /proc/PID/stat, in 1/100 s). */
    static long cpuMillis(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    static void importFile(DSLContext dsl, String file) throws Exception {
        ImportWorker worker = new ImportWorker(dsl, "US").start();
        Imports imports = new Imports(dsl, worker);
        for (int run = 1; run <= 2; run++) {
            long t = System.nanoTime();
            Import imp;
            try (InputStream in = new FileInputStream(file)) {
                imp = imports.upload(in, "bench.csv", "Bench", null, true);
            }
            long stored = System.nanoTime();
            while (true) {
                imp = imports.repository().find(imp.id()).orElseThrow();
                if (imp.status() != ImportStatus.RUNNING) break;
                Thread.sleep(100);
            }
            long done = System.nanoTime();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("import run %d | status %s | rows %d | created %d | updated %d | skipped %d | errors %d | "
                            + "store %.1f s | total %.1f s | heap max %d MB%n", run, imp.statusValue(), imp.totalRows(),
                    imp.created(), imp.updated(), imp.skipped(), imp.errorCount(), (stored - t) / 1e9, (done - t) / 1e9,
                    rt.maxMemory() >> 20);
        }
        worker.close();
    }
}
