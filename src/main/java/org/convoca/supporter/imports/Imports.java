package org.convoca.supporter.imports;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.convoca.supporter.TagRepository;
import org.jooq.DSLContext;

/** Uploading a file: store it, recognise its format and columns, and (from the API) queue it at once. */
public final class Imports {
    /** The file cannot be imported as given (no header, no email column …): a message key. */
    public static final class Refused extends RuntimeException {
        public Refused(String key) {
            super(key, null, false, false);
        }
    }

    private final DSLContext dsl;
    private final ImportRepository repo;
    private final ImportWorker worker;

    public Imports(DSLContext dsl, ImportWorker worker) {
        this.dsl = dsl;
        this.repo = new ImportRepository(dsl);
        this.worker = worker;
    }

    public ImportRepository repository() {
        return repo;
    }

    public Import upload(InputStream in, String filename, String tag, Long userId, boolean start) throws IOException {
        if (tag != null && !tag.isBlank() && !TagRepository.validName(tag)) throw new Refused("tag.invalid");
        long id = repo.create(filename == null ? "" : filename.strip(), tag, userId);
        long bytes = ImportFile.store(dsl, id, in);
        byte[] sample;
        try (InputStream stored = ImportFile.open(dsl, id)) {
            sample = CsvFormat.sample(stored);
        }
        CsvFormat format = CsvFormat.sniff(sample, sample.length);
        List<String> headers = headers(sample, format);
        if (headers.isEmpty() || bytes == 0) {
            repo.fail(id, "The file is empty");
            throw new Refused("import.empty");
        }
        ColumnMapping mapping = ColumnMapping.auto(headers);
        repo.describe(id, bytes, format, mapping);
        if (start) {
            if (!mapping.hasEmail()) {
                repo.fail(id, "No column holds email addresses");
                throw new Refused("import.no_email");
            }
            repo.start(id, mapping, tag);
            worker.wake();
        }
        return repo.find(id).orElseThrow();
    }

    public Optional<Import> start(long id, List<String> fields, String tag) {
        Import imp = repo.find(id).orElse(null);
        if (imp == null || !imp.pending()) return Optional.ofNullable(imp);
        ColumnMapping mapping = imp.mapping().withFields(fields);
        if (!mapping.hasEmail()) throw new Refused("import.no_email");
        if (tag != null && !tag.isBlank() && !TagRepository.validName(tag)) throw new Refused("tag.invalid");
        repo.start(id, mapping, tag);
        worker.wake();
        return repo.find(id);
    }

    /** The first rows of the file as text cells, for the preview. */
    public List<List<String>> preview(Import imp, int rows) throws IOException {
        List<List<String>> out = new ArrayList<>();
        try (InputStream stored = ImportFile.open(dsl, imp.id());
             CsvReader<CsvRecord> csv = reader(CsvFormat.reader(stored, java.nio.charset.Charset.forName(imp.charset())),
                     imp.separator().charAt(0))) {
            boolean header = true;
            for (CsvRecord r : csv) {
                if (header) {
                    header = false;
                    continue;
                }
                out.add(r.getFields());
                if (out.size() >= rows) break;
            }
        }
        return out;
    }

    private static List<String> headers(byte[] sample, CsvFormat format) throws IOException {
        try (CsvReader<CsvRecord> csv = reader(CsvFormat.reader(new java.io.ByteArrayInputStream(sample), format.charset()),
                format.separator())) {
            for (CsvRecord r : csv) return r.getFields().stream().map(String::strip).toList();
        }
        return List.of();
    }

    static CsvReader<CsvRecord> reader(java.io.Reader reader, char separator) {
        return CsvReader.builder().fieldSeparator(separator).allowExtraFields(true).allowMissingFields(true)
                .allowUnclosedQuote(true).allowExtraCharsAfterClosingQuote(true).maxBufferSize(1 << 20).ofCsvRecord(reader);
    }
}
