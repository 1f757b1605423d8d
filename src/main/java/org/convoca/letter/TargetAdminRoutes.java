package org.convoca.letter;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Paged;
import org.convoca.web.Views;

/** The organizer's targets directory: list, create, edit, retire, and CSV import. */
public final class TargetAdminRoutes {
    private final TargetRepository targets;
    private final TargetCsv csv;
    private final LetterStats stats;
    private final Views views;

    public TargetAdminRoutes(TargetRepository targets, TargetCsv csv, LetterStats stats, Views views) {
        this.targets = targets;
        this.csv = csv;
        this.stats = stats;
        this.views = views;
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 50);
        Paged<Target> page = targets.list(p[0], p[1]);
        Map<Long, Integer> counts = stats.lettersByTarget();
        views.render(ctx, "letter/targets", Map.of("targets", page, "rows", page.items().stream()
                .map(t -> Map.of("target", t, "letters", counts.getOrDefault(t.id(), 0))).toList()));
    }

    public void newForm(Context ctx) {
        renderForm(ctx, 200, null, TargetForm.empty(), List.of());
    }

    public void create(Context ctx) {
        TargetForm form = TargetForm.from(ctx);
        List<FieldError> errors = form.validate();
        if (!errors.isEmpty()) {
            renderForm(ctx, 422, null, form, errors);
            return;
        }
        try {
            targets.create(form);
            views.redirectWithFlash(ctx, "/admin/targets", "letter.target.saved");
        } catch (TargetRepository.EmailTaken e) {
            renderForm(ctx, 422, null, form, List.of(new FieldError("email", "letter.target.email_taken")));
        }
    }

    public void editForm(Context ctx) {
        Target t = load(ctx);
        renderForm(ctx, 200, t, TargetForm.of(t), List.of());
    }

    public void update(Context ctx) {
        Target t = load(ctx);
        TargetForm form = TargetForm.from(ctx);
        List<FieldError> errors = form.validate();
        if (!errors.isEmpty()) {
            renderForm(ctx, 422, t, form, errors);
            return;
        }
        try {
            targets.update(t.id(), form);
            views.redirectWithFlash(ctx, "/admin/targets", "letter.target.saved");
        } catch (TargetRepository.EmailTaken e) {
            renderForm(ctx, 422, t, form, List.of(new FieldError("email", "letter.target.email_taken")));
        }
    }

    /** Retire (no new letters, history kept) or bring back: the button on the edit page. */
    public void retire(Context ctx) {
        Target t = load(ctx);
        boolean retire = !"false".equals(ctx.formParam("retired"));
        targets.setRetired(t.id(), retire);
        views.redirectWithFlash(ctx, "/admin/targets", retire ? "letter.target.retired" : "letter.target.restored");
    }

    public void importForm(Context ctx) {
        views.render(ctx, "letter/targets_import", Map.of("csv", "", "result", false, "created", 0, "updated", 0,
                "rowErrors", List.of()));
    }

    /** The CSV pasted in the text box or sent as a file ({@code file}); reports what happened row by row. */
    public void importCsv(Context ctx) {
        String text = ctx.formParam("csv");
        var file = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
        if (file != null && file.size() > 0) {
            try (var in = file.content()) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new HtmlError(400, "error.bad_request");
            }
        }
        TargetCsv.Result r = csv.importText(text == null ? "" : text);
        List<Map<String, Object>> rowErrors = r.errors().stream().map(e -> Map.<String, Object>of(
                "line", e.line(), "field", e.field(), "message", views.t(ctx, e.messageKey()))).toList();
        boolean failed = r.created() + r.updated() == 0 && !r.errors().isEmpty();
        views.render(ctx, failed ? 422 : 200, "letter/targets_import", Map.of("csv", failed && text != null ? text : "",
                "result", true, "created", r.created(), "updated", r.updated(), "rowErrors", rowErrors));
    }

    private void renderForm(Context ctx, int status, Target existing, TargetForm form, List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("target", existing);
        model.put("form", form);
        model.put("errors", views.errorMessages(ctx, errors));
        views.render(ctx, status, "letter/target_form", model);
    }

    private Target load(Context ctx) {
        return targets.find(Ids.path(ctx, "id")).orElseThrow(HtmlError::notFound);
    }
}
