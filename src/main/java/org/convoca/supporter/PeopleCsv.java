package org.convoca.supporter;

import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;
import static org.convoca.db.schema.Tables.TAGS;

import de.siegmar.fastcsv.writer.CsvWriter;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Streams people matching a condition as CSV (fastcsv), straight from a database cursor, so an
 * export of a million people uses the memory of one row. Cells that a spreadsheet would run as a
 * formula (starting with = + - @, tab or CR) get a leading apostrophe.
 */
public final class PeopleCsv {
    static final String[] HEADER = {"id", "given_name", "family_name", "email", "email_status", "phone", "postal_code",
            "language", "school", "tags", "referral_code", "source", "created_date", "modified_date"};

    private PeopleCsv() {
    }

    public static void send(Context ctx, DSLContext dsl, Condition where, String filename) {
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + filename + ".csv\"");
        try {
            write(ctx.res().getOutputStream(), dsl, where);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(OutputStream out, DSLContext dsl, Condition where) {
        Field<String> tags = DSL.field(DSL.select(DSL.listAgg(TAGS.NAME, ", ").withinGroupOrderBy(TAGS.NAME))
                .from(PERSON_TAGS).join(TAGS).on(TAGS.ID.eq(PERSON_TAGS.TAG_ID))
                .where(PERSON_TAGS.PERSON_ID.eq(PEOPLE.ID))).as("tags");
        // A cursor needs a transaction (autocommit off); fetchSize makes the driver stream rows.
        dsl.transaction(c -> {
            CsvWriter csv = CsvWriter.builder().build(out, StandardCharsets.UTF_8);
            csv.writeRecord(HEADER);
            try (var cursor = c.dsl().select(PEOPLE.ID, PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME, PEOPLE.EMAIL,
                            PEOPLE.EMAIL_STATUS, PEOPLE.PHONE, PEOPLE.POSTAL_CODE, PEOPLE.LANGUAGE, PEOPLE.SCHOOL, tags,
                            PEOPLE.REFERRAL_CODE, PEOPLE.SOURCE, PEOPLE.CREATED_AT, PEOPLE.UPDATED_AT)
                    .from(PEOPLE).where(where).orderBy(PEOPLE.ID).fetchSize(2000).fetchLazy()) {
                for (var r : cursor) {
                    csv.writeRecord(String.valueOf(r.value1()), safe(r.value2()), safe(r.value3()), safe(r.value4()),
                            r.value5(), safe(r.value6()), safe(r.value7()), r.value8() == null ? "" : r.value8(),
                            safe(r.value9()), safe(r.value10()), r.value11(), safe(r.value12()),
                            DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(r.value13()),
                            DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(r.value14()));
                }
            }
            csv.flush();
        });
    }

    /** Neutralises spreadsheet formulas (OWASP "CSV injection"). */
    static String safe(String cell) {
        if (cell == null || cell.isEmpty()) return "";
        char first = cell.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + cell : cell;
    }
}
