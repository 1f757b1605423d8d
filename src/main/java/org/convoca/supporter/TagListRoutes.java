package org.convoca.supporter;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.ErrorMap;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Paged;
import org.convoca.web.Views;
import org.jooq.DSLContext;

/** The tags page and static lists: create a list, add one person or a whole search, remove, export. */
public final class TagListRoutes {
    private final DSLContext dsl;
    private final TagRepository tags;
    private final ListRepository lists;
    private final PeopleDirectory directory;
    private final Views views;

    public TagListRoutes(DSLContext dsl, Views views) {
        this.dsl = dsl;
        this.tags = new TagRepository(dsl);
        this.lists = new ListRepository(dsl);
        this.directory = new PeopleDirectory(dsl);
        this.views = views;
    }

    public void tags(Context ctx) {
        views.render(ctx, "supporter/tags", Map.of("tags", tags.all()));
    }

    public void lists(Context ctx) {
        renderLists(ctx, 200, "", "", List.of());
    }

    public void createList(Context ctx) {
        String name = param(ctx, "name");
        String description = param(ctx, "description");
        List<FieldError> errors = validate(name, description);
        if (!errors.isEmpty()) {
            renderLists(ctx, 422, name, description, errors);
            return;
        }
        long id = lists.create(name, description);
        views.redirectWithFlash(ctx, "/admin/lists/" + id, "list.created");
    }

    public void showList(Context ctx) {
        PeopleList list = load(ctx);
        int[] p = Paged.params(ctx, 50);
        PeopleSearch members = new PeopleSearch("", "", list.id());
        Map<String, Object> model = new HashMap<>();
        model.put("list", list);
        model.put("members", directory.page(members.condition(), p[0], p[1]));
        views.render(ctx, "supporter/list_show", model);
    }

    public void deleteList(Context ctx) {
        lists.delete(load(ctx).id());
        views.redirectWithFlash(ctx, "/admin/lists", "list.deleted");
    }

    public void removeMember(Context ctx) {
        PeopleList list = load(ctx);
        lists.remove(list.id(), PeopleAdminRoutes.longParam(ctx, "personId"));
        views.redirectWithFlash(ctx, "/admin/lists/" + list.id(), "list.member_removed");
    }

    /** From the person page: adds this one person to the chosen list. */
    public void addPerson(Context ctx) {
        long personId = PeopleAdminRoutes.longParam(ctx, "id");
        PeopleList list = target(ctx);
        lists.addAll(list.id(), PeopleAdminRoutes.person(personId).and(org.convoca.db.schema.Tables.PEOPLE.ERASED_AT.isNull()));
        views.redirectWithFlash(ctx, "/admin/people/" + personId, "list.person_added");
    }

    /** From a search result: adds everyone the search matches to the chosen list. */
    public void addSearch(Context ctx) {
        PeopleSearch search = new PeopleSearch(param(ctx, "q"), param(ctx, "tag"), PeopleAdminRoutes.parseLong(param(ctx, "list")));
        PeopleList list = target(ctx);
        lists.addAll(list.id(), search.condition());
        views.redirectWithFlash(ctx, "/admin/lists/" + list.id(), "list.search_added");
    }

    public void exportList(Context ctx) {
        PeopleList list = load(ctx);
        PeopleCsv.send(ctx, dsl, new PeopleSearch("", "", list.id()).condition(), "list-" + list.id());
    }

    private void renderLists(Context ctx, int status, String name, String description, List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("lists", lists.all());
        model.put("name", name);
        model.put("description", description);
        model.put("errors", errors.isEmpty() ? new ErrorMap() : views.errorMessages(ctx, errors));
        views.render(ctx, status, "supporter/lists", model);
    }

    static List<FieldError> validate(String name, String description) {
        List<FieldError> errors = new java.util.ArrayList<>();
        if (name.isBlank()) errors.add(new FieldError("name", "field.required"));
        else if (name.length() > 200) errors.add(new FieldError("name", "field.too_long"));
        if (description.length() > 2000) errors.add(new FieldError("description", "field.too_long"));
        return errors;
    }

    private PeopleList target(Context ctx) {
        Long id = PeopleAdminRoutes.parseLong(ctx.formParam("target_list"));
        if (id == null) throw new HtmlError(400, "list.choose");
        return lists.find(id).orElseThrow(() -> new HtmlError(400, "list.choose"));
    }

    private PeopleList load(Context ctx) {
        return lists.find(PeopleAdminRoutes.longParam(ctx, "id")).orElseThrow(HtmlError::notFound);
    }

    private static String param(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v.strip();
    }
}
