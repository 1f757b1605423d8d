package org.convoca.supporter;

import static org.convoca.db.schema.Tables.PEOPLE;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.Access;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Paged;
import org.convoca.web.Views;
import org.jooq.DSLContext;

/** The organizer's people pages: search, the person page with their timeline, edit, erase, exports. */
public final class PeopleAdminRoutes {
    private final DSLContext dsl;
    private final PeopleDirectory directory;
    private final PersonEdits edits;
    private final TagRepository tags;
    private final ListRepository lists;
    private final PersonExport export;
    private final Views views;
    private final String phoneRegion;

    public PeopleAdminRoutes(DSLContext dsl, Views views, String phoneRegion) {
        this.dsl = dsl;
        this.directory = new PeopleDirectory(dsl);
        this.edits = new PersonEdits(dsl);
        this.tags = new TagRepository(dsl);
        this.lists = new ListRepository(dsl);
        this.export = new PersonExport(dsl, directory, lists);
        this.views = views;
        this.phoneRegion = phoneRegion;
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 50);
        PeopleSearch search = PeopleSearch.from(ctx);
        Paged<PersonSummary> people = directory.page(search.condition(), p[0], p[1]);
        Map<String, Object> model = new HashMap<>();
        model.put("people", people);
        model.put("search", search);
        model.put("tags", tags.all());
        model.put("lists", lists.all());
        views.render(ctx, "supporter/admin_list", model);
    }

    public void show(Context ctx) {
        Person person = load(ctx);
        Map<String, Object> model = new HashMap<>();
        model.put("person", person);
        model.put("timeline", directory.timeline(person.id(), 200));
        // The leadership ladder rung, so organizers see who is ready for the Parent College track.
        model.put("ladder", dsl.select(Ladder.level()).from(org.convoca.db.schema.Tables.PEOPLE)
                .where(org.convoca.db.schema.Tables.PEOPLE.ID.eq(person.id())).fetchOne().value1());
        model.put("personLists", lists.of(person.id()));
        model.put("lists", lists.all());
        views.render(ctx, "supporter/admin_show", model);
    }

    public void editForm(Context ctx) {
        Person person = loadLive(ctx);
        renderForm(ctx, 200, person, PersonForm.of(person), List.of());
    }

    public void update(Context ctx) {
        Person person = loadLive(ctx);
        PersonForm form = PersonForm.from(ctx);
        List<FieldError> errors = form.validate(phoneRegion);
        if (!errors.isEmpty()) {
            renderForm(ctx, 422, person, form, errors);
            return;
        }
        String phone = form.phone().isBlank() ? "" : Phones.normalize(form.phone(), phoneRegion).orElseThrow();
        try {
            edits.update(person, form, phone, "admin", staff(ctx));
            views.redirectWithFlash(ctx, "/admin/people/" + person.id(), "person.saved");
        } catch (PersonEdits.EmailTaken e) {
            renderForm(ctx, 422, person, form, List.of(new FieldError("email", "person.email.taken")));
        }
    }

    /** Delete means erase: personal data goes, the suppressed address and the counts stay. */
    public void erase(Context ctx) {
        Person person = load(ctx);
        if (!"ERASE".equals(ctx.formParam("confirm"))) {
            views.redirectWithFlash(ctx, "/admin/people/" + person.id(), "person.erase.unconfirmed");
            return;
        }
        edits.erase(person.id(), staff(ctx));
        views.redirectWithFlash(ctx, "/admin/people", "person.erased");
    }

    /** Merges the duplicate named by email or number into this person. */
    public void merge(Context ctx) {
        Person person = loadLive(ctx);
        String other = ctx.formParam("duplicate") == null ? "" : ctx.formParam("duplicate").strip();
        Long dropId = other.contains("@") ? PersonRepository.idByEmail(dsl, other).orElse(null) : parseLong(other);
        try {
            if (dropId == null) throw new PersonMerge.Refused();
            new PersonMerge(dsl).merge(person.id(), dropId, staff(ctx));
            views.redirectWithFlash(ctx, "/admin/people/" + person.id(), "person.merged");
        } catch (PersonMerge.Refused e) {
            views.redirectWithFlash(ctx, "/admin/people/" + person.id(), "person.merge.refused");
        }
    }

    /** Everything held about one person, as JSON (a subject access request). */
    public void exportJson(Context ctx) {
        Person person = load(ctx);
        ctx.header("Content-Disposition", "attachment; filename=\"person-" + person.id() + ".json\"");
        ctx.json(export.of(person));
    }

    public void exportCsv(Context ctx) {
        PeopleCsv.send(ctx, dsl, PeopleSearch.from(ctx).condition(), "people");
    }

    public void addTag(Context ctx) {
        Person person = loadLive(ctx);
        String name = ctx.formParam("tag");
        if (!TagRepository.validName(name)) {
            views.redirectWithFlash(ctx, "/admin/people/" + person.id(), "tag.invalid");
            return;
        }
        tags.add(person.id(), name);
        views.redirectWithFlash(ctx, "/admin/people/" + person.id(), "tag.added");
    }

    public void removeTag(Context ctx) {
        Person person = load(ctx);
        tags.findByName(ctx.formParam("tag")).ifPresent(t -> tags.remove(person.id(), t.id()));
        views.redirectWithFlash(ctx, "/admin/people/" + person.id(), "tag.removed");
    }

    /** Adds or removes a tag on every person the search (q, tag, list in the form) matches. */
    public void bulkTag(Context ctx) {
        PeopleSearch search = new PeopleSearch(form(ctx, "q"), form(ctx, "tag"), parseLong(form(ctx, "list")));
        String name = form(ctx, "tag_name");
        String back = "/admin/people?" + search.queryString().replaceFirst("^&", "");
        if (!TagRepository.validName(name)) {
            views.redirectWithFlash(ctx, back, "tag.invalid");
            return;
        }
        if ("remove".equals(ctx.formParam("action"))) {
            tags.findByName(name).ifPresent(t -> tags.removeAll(search.condition(), t.id()));
            views.redirectWithFlash(ctx, back, "tag.bulk_removed");
        } else {
            tags.addAll(search.condition(), name);
            views.redirectWithFlash(ctx, back, "tag.bulk_added");
        }
    }

    private void renderForm(Context ctx, int status, Person person, PersonForm form, List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("person", person);
        model.put("form", form);
        model.put("statuses", EmailStatus.values());
        model.put("errors", views.errorMessages(ctx, errors));
        views.render(ctx, status, "supporter/admin_form", model);
    }

    static String staff(Context ctx) {
        return "staff:" + Access.requirePrincipal(ctx).user().id();
    }

    private Person load(Context ctx) {
        return directory.find(longParam(ctx, "id")).orElseThrow(HtmlError::notFound);
    }

    private Person loadLive(Context ctx) {
        Person p = load(ctx);
        if (p.erased()) throw new HtmlError(410, "person.erased_notice");
        return p;
    }

    static long longParam(Context ctx, String name) {
        Long v = parseLong(ctx.pathParam(name));
        if (v == null) throw HtmlError.notFound();
        return v;
    }

    static Long parseLong(String s) {
        try {
            return s == null || s.isBlank() ? null : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String form(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v.strip();
    }

    static org.jooq.Condition person(long id) {
        return PEOPLE.ID.eq(id);
    }
}
