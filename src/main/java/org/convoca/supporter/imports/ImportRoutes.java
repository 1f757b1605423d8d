package org.convoca.supporter.imports;

import de.siegmar.fastcsv.writer.CsvWriter;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.Access;
import org.convoca.web.ErrorMap;
import org.convoca.web.HtmlError;
import org.convoca.web.Paged;
import org.convoca.web.Views;

/**
 * The import pages: upload a CSV, check the preview and the column each field comes from, add a
 * tag, start; then a progress page (it refreshes itself, no JavaScript) with counts and row errors.
 */
public final class ImportRoutes {
    private final Imports imports;
    private final Views views;

    public ImportRoutes(Imports imports, Views views) {
        this.imports = imports;
        this.views = views;
    }

    public void list(Context ctx) {
        renderList(ctx, 200, new ErrorMap());
    }

    public void upload(Context ctx) throws IOException {
        UploadedFile file = ctx.uploadedFile("file");
        if (file == null || file.size() == 0) {
            renderList(ctx, 422, ErrorMap.of("file", views.t(ctx, "import.choose_file")));
            return;
        }
        try (InputStream in = file.content()) {
            Import imp = imports.upload(in, file.filename(), null, Access.requirePrincipal(ctx).user().id(), false);
            ctx.redirect("/admin/imports/" + imp.id(), io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (Imports.Refused e) {
            renderList(ctx, 422, ErrorMap.of("file", views.t(ctx, e.getMessage())));
        }
    }

    public void show(Context ctx) throws IOException {
        Import imp = load(ctx);
        render(ctx, 200, imp, new ErrorMap(), imp.tag() == null ? "" : imp.tag());
    }

    public void start(Context ctx) throws IOException {
        Import imp = load(ctx);
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < imp.mapping().size(); i++) {
            String f = ctx.formParam("column_" + i);
            fields.add(f == null ? "ignore" : f);
        }
        String tag = ctx.formParam("tag");
        try {
            imports.start(imp.id(), fields, tag);
            views.redirectWithFlash(ctx, "/admin/imports/" + imp.id(), "import.started");
        } catch (Imports.Refused e) {
            String field = e.getMessage().equals("tag.invalid") ? "tag" : "column_0";
            render(ctx, 422, new Import(imp.id(), imp.status(), imp.filename(), imp.tag(), imp.mapping().withFields(fields),
                    imp.charset(), imp.separator(), imp.bytes(), imp.totalRows(), imp.processedRows(), imp.created(),
                    imp.updated(), imp.skipped(), imp.errorCount(), imp.failure(), imp.createdAt(), imp.updatedAt(),
                    imp.finishedAt(), imp.bytesRead()), ErrorMap.of(field, views.t(ctx, e.getMessage())), tag == null ? "" : tag);
        }
    }

    /** Every row error as a CSV: row number and reason. */
    public void errorsCsv(Context ctx) throws IOException {
        Import imp = load(ctx);
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"import-" + imp.id() + "-errors.csv\"");
        CsvWriter csv = CsvWriter.builder().build(ctx.res().getOutputStream(), StandardCharsets.UTF_8);
        csv.writeRecord("row", "message");
        for (var e : imports.repository().errors(imp.id(), Integer.MAX_VALUE)) csv.writeRecord(String.valueOf(e.row()), e.message());
        csv.flush();
    }

    private void renderList(Context ctx, int status, ErrorMap errors) {
        int[] p = Paged.params(ctx, 25);
        views.render(ctx, status, "supporter/imports", Map.of("imports", imports.repository().page(p[0], p[1]), "errors", errors));
    }

    private void render(Context ctx, int status, Import imp, ErrorMap errors, String tag) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("imp", imp);
        model.put("fields", ColumnMapping.FIELDS);
        model.put("preview", imp.pending() ? imports.preview(imp, 5) : List.of());
        model.put("rowErrors", imports.repository().errors(imp.id(), 100));
        model.put("tag", tag);
        model.put("errors", errors);
        views.render(ctx, status, "supporter/import_show", model);
    }

    private Import load(Context ctx) {
        try {
            return imports.repository().find(Long.parseLong(ctx.pathParam("id"))).orElseThrow(HtmlError::notFound);
        } catch (NumberFormatException e) {
            throw HtmlError.notFound();
        }
    }
}
