package org.convoca.supporter.imports;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.Access;
import org.convoca.web.Paged;
import org.convoca.web.Problem;

/** {@code /api/v1/imports}: POST a CSV body (optional {@code ?tag=}) → 202; GET for progress and row errors. */
public final class ImportApi {
    private final Imports imports;

    public ImportApi(Imports imports) {
        this.imports = imports;
    }

    public void create(Context ctx) throws IOException {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
        if (!type.startsWith("text/csv") && !type.startsWith("application/csv") && !type.startsWith("text/plain")) {
            throw new Problem(415, "Unsupported Media Type", "Send the file as text/csv");
        }
        try {
            Import imp = imports.upload(ctx.bodyInputStream(), "api", ctx.queryParam("tag"),
                    Access.requirePrincipal(ctx).user().id(), true);
            ctx.status(202).json(toJson(imports.repository().find(imp.id()).orElseThrow()));
        } catch (Imports.Refused e) {
            String field = e.getMessage().equals("tag.invalid") ? "tag" : "body";
            throw Problem.validation(List.of(new Problem.Error(field, Problem.describe(e.getMessage()))));
        }
    }

    public void read(Context ctx) {
        try {
            ctx.json(toJson(imports.repository().find(Long.parseLong(ctx.pathParam("id")))
                    .orElseThrow(() -> Problem.notFound("Import"))));
        } catch (NumberFormatException e) {
            throw Problem.notFound("Import");
        }
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        ctx.json(imports.repository().page(p[0], p[1]).osdi("imports", this::summary));
    }

    private Map<String, Object> summary(Import imp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifiers", List.of("convoca:" + imp.id()));
        // Uploaded but not started (an admin upload awaiting its columns) reads as running.
        m.put("status", imp.pending() ? "running" : imp.statusValue());
        m.put("total_rows", imp.totalRows());
        m.put("created", imp.created());
        m.put("updated", imp.updated());
        m.put("skipped", imp.skipped());
        m.put("total_errors", imp.errorCount());
        m.put("tag", imp.tag());
        if (imp.failure() != null) m.put("failure", imp.failure());
        m.put("created_date", imp.createdAt());
        m.put("modified_date", imp.updatedAt());
        return m;
    }

    private Map<String, Object> toJson(Import imp) {
        Map<String, Object> m = summary(imp);
        m.put("errors", imports.repository().errors(imp.id(), 1000).stream()
                .map(e -> Map.of("row", e.row(), "message", e.message())).toList());
        return m;
    }
}
