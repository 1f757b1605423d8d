package org.convoca.supporter;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Views;
import org.jooq.DSLContext;

/**
 * The segment builder. One form, three buttons: "count" re-renders with the live count and the
 * first people it matches, "add a rule" re-renders with one more row, "save" stores it.
 */
public final class SegmentRoutes {
    private final DSLContext dsl;
    private final SegmentRepository segments;
    private final PeopleDirectory directory;
    private final TagRepository tags;
    private final ListRepository lists;
    private final Views views;

    public SegmentRoutes(DSLContext dsl, Views views) {
        this.dsl = dsl;
        this.segments = new SegmentRepository(dsl);
        this.directory = new PeopleDirectory(dsl);
        this.tags = new TagRepository(dsl);
        this.lists = new ListRepository(dsl);
        this.views = views;
    }

    public void list(Context ctx) {
        views.render(ctx, "supporter/segments", Map.of("segments", segments.all()));
    }

    public void newForm(Context ctx) {
        render(ctx, 200, null, SegmentForm.empty(), List.of(), false);
    }

    public void show(Context ctx) {
        Segment s = load(ctx);
        render(ctx, 200, s, SegmentForm.of(s.name(), s.definition(), segments), List.of(), true);
    }

    public void create(Context ctx) {
        submit(ctx, null);
    }

    public void update(Context ctx) {
        submit(ctx, load(ctx));
    }

    public void delete(Context ctx) {
        segments.delete(load(ctx).id());
        views.redirectWithFlash(ctx, "/admin/segments", "segment.deleted");
    }

    public void exportCsv(Context ctx) {
        Segment s = load(ctx);
        PeopleCsv.send(ctx, dsl, SegmentCompiler.compile(s.definition()), "segment-" + s.id());
    }

    private void submit(Context ctx, Segment existing) {
        SegmentForm form = SegmentForm.from(ctx);
        String action = ctx.formParam("action");
        if ("add_rule".equals(action)) {
            render(ctx, 200, existing, form.withEmptyRow(), List.of(), false);
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        SegmentFilter filter = form.filter(segments, errors);
        if (!"save".equals(action)) {
            render(ctx, errors.isEmpty() ? 200 : 422, existing, form, errors, errors.isEmpty());
            return;
        }
        errors.addAll(form.validateName());
        if (!errors.isEmpty()) {
            render(ctx, 422, existing, form, errors, false);
            return;
        }
        long id = existing == null ? segments.create(form.name(), filter) : existing.id();
        if (existing != null) segments.update(id, form.name(), filter);
        views.redirectWithFlash(ctx, "/admin/segments/" + id, "segment.saved");
    }

    private void render(Context ctx, int status, Segment segment, SegmentForm form, List<FieldError> errors, boolean count) {
        Map<String, Object> model = new HashMap<>();
        model.put("segment", segment);
        model.put("form", form);
        model.put("types", SegmentForm.TYPES);
        model.put("tags", tags.all());
        model.put("lists", lists.all());
        model.put("errors", views.errorMessages(ctx, errors));
        model.put("count", null);
        model.put("sample", List.of());
        if (count) {
            SegmentFilter filter = form.filter(segments, new ArrayList<>());
            var where = SegmentCompiler.compile(filter);
            // Two queries: the count alone is an index-only aggregate (bench/people), and the sample
            // reads ten rows; one query with a window count would read every match's row.
            model.put("count", directory.count(where));
            model.put("sample", directory.newest(where, 10));
        }
        views.render(ctx, status, "supporter/segment_form", model);
    }

    private Segment load(Context ctx) {
        return segments.find(PeopleAdminRoutes.longParam(ctx, "id")).orElseThrow(HtmlError::notFound);
    }
}
