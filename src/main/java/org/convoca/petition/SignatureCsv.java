package org.convoca.petition;

import de.siegmar.fastcsv.writer.CsvWriter;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The signatures of a petition as CSV, streamed row by row from a database cursor to the response
 * (constant memory at any size). Cells that a spreadsheet would run as a formula are neutralised.
 */
public final class SignatureCsv {
    static final String[] HEADER = {"signature_id", "given_name", "family_name", "email", "postal_code", "phone",
            "school", "comments", "status", "source", "public_display", "language", "created_date", "confirmed_date"};

    private SignatureCsv() {
    }

    public static boolean wanted(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase().contains("text/csv");
    }

    public static void stream(Context ctx, SignatureRepository signatures, Petition p) {
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"petition-" + p.slug() + "-signatures.csv\"");
        ctx.header("Cache-Control", "no-store");
        try (var out = new BufferedWriter(new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8), 64 * 1024);
             CsvWriter csv = CsvWriter.builder().build(out)) {
            csv.writeRecord(HEADER);
            signatures.forEach(p.id(), false, r -> csv.writeRecord(safe(String.valueOf(r.id())), safe(r.givenName()),
                    safe(r.familyName()), safe(r.email()), safe(r.postalCode()), safe(r.phone()), safe(r.school()),
                    safe(r.comments()), r.status(), r.source(), String.valueOf(r.publicDisplay()), r.language(),
                    String.valueOf(r.createdAt()), r.confirmedAt() == null ? "" : r.confirmedAt().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A cell starting with = + - @ (or a tab or carriage return, which some spreadsheets skip
     * before reading a formula) gets a leading apostrophe, so it is shown as text, never run.
     */
    static String safe(String cell) {
        if (cell == null || cell.isEmpty()) return "";
        char c = cell.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + cell : cell;
    }
}
