package org.convoca.letter;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jooq.DSLContext;

/**
 * Imports the targets directory from CSV (FastCSV): a header row with the contract's names
 * (given_name, family_name, title, body, email, district, schools, postal_codes; schools and postal
 * codes separated by semicolons). Rows are matched on email: existing targets are updated. All valid
 * rows are saved in one transaction; invalid rows are reported by line and skipped.
 */
public final class TargetCsv {
    public static final int MAX_ROWS = 5_000;

    public record RowError(long line, String field, String messageKey) {
    }

    public record Result(int created, int updated, List<RowError> errors) {
    }

    private final DSLContext dsl;

    public TargetCsv(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Result importText(String csv) {
        List<TargetForm> valid = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        parse(csv, valid, errors);
        if (errors.stream().anyMatch(e -> e.line() == 0)) return new Result(0, 0, errors);
        int[] counts = new int[2];
        dsl.transaction(cfg -> {
            for (TargetForm f : valid) {
                if (TargetRepository.upsert(cfg.dsl(), f)) counts[0]++;
                else counts[1]++;
            }
        });
        return new Result(counts[0], counts[1], errors);
    }

    static void parse(String csv, List<TargetForm> valid, List<RowError> errors) {
        try (CsvReader<NamedCsvRecord> reader = CsvReader.builder().detectBomHeader(true).skipEmptyLines(true)
                .allowMissingFields(true).allowExtraFields(true).ofNamedCsvRecord(csv == null ? "" : csv)) {
            for (NamedCsvRecord rec : reader) {
                if (valid.size() + errors.size() >= MAX_ROWS) {
                    errors.add(new RowError(rec.getStartingLineNumber(), "", "letter.import.too_many"));
                    return;
                }
                if (!rec.getHeader().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList().contains("email")) {
                    errors.add(new RowError(0, "", "letter.import.no_email_column"));
                    return;
                }
                TargetForm f = row(rec);
                var fieldErrors = f.validate();
                if (fieldErrors.isEmpty()) valid.add(f);
                else errors.add(new RowError(rec.getStartingLineNumber(), fieldErrors.get(0).field(), fieldErrors.get(0).key()));
            }
        } catch (CsvParseException | java.io.IOException | java.io.UncheckedIOException e) {
            errors.add(new RowError(0, "", "letter.import.unreadable"));
        }
        if (valid.isEmpty() && errors.isEmpty()) errors.add(new RowError(0, "", "letter.import.empty"));
    }

    private static TargetForm row(NamedCsvRecord rec) {
        Map<String, String> m = rec.getFieldsAsMap().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().strip().toLowerCase(Locale.ROOT), Map.Entry::getValue, (a, b) -> a));
        return new TargetForm(v(m, "given_name"), v(m, "family_name"), v(m, "title"), v(m, "body"), v(m, "email"),
                v(m, "district"), v(m, "schools"), v(m, "postal_codes"));
    }

    private static String v(Map<String, String> m, String key) {
        String s = m.get(key);
        return s == null ? "" : s;
    }
}
