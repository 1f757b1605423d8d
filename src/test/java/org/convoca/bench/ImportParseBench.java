package org.convoca.bench;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.FileReader;
import java.nio.charset.StandardCharsets;
import org.convoca.supporter.PersonRepository;
import org.convoca.supporter.imports.ColumnMapping;
import org.convoca.supporter.imports.ImportRow;

/**
 * Parse-and-check cost of an import, alone (no database): reads a CSV with fastcsv and runs every
 * row through ImportRow.read and a referral code, as staging does, three times; prints µs per row
 * and the JVM's CPU time. Usage: {@code java -cp … org.convoca.bench.ImportParseBench FILE}.
 */
public final class ImportParseBench {
    public static void main(String[] args) throws Exception {
        var bean = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int round = 1; round <= 3; round++) {
            long t = System.nanoTime();
            long cpu = bean.getProcessCpuTime();
            int rows = 0;
            int bad = 0;
            ColumnMapping mapping = null;
            try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(new FileReader(args[0], StandardCharsets.UTF_8))) {
                for (CsvRecord r : csv) {
                    if (mapping == null) {
                        mapping = ColumnMapping.auto(r.getFields());
                        continue;
                    }
                    rows++;
                    ImportRow row = ImportRow.read((int) r.getStartingLineNumber(), r.getFields(), mapping, "US", "Bench");
                    if (!row.ok() || row.emailNormalized().isEmpty() || PersonRepository.newReferralCode().isEmpty()) bad++;
                }
            }
            double wall = (System.nanoTime() - t) / 1e3;
            System.out.printf("round %d: %d rows (%d refused), %.2f µs/row wall, %.2f µs/row JVM CPU, load %s%n", round, rows, bad,
                    wall / rows, (bean.getProcessCpuTime() - cpu) / 1e3 / rows,
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
        }
    }
}
