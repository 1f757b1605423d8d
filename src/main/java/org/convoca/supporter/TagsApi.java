package org.convoca.supporter;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.Json;
import org.convoca.web.Paged;
import org.convoca.web.Problem;

/** {@code /api/v1/tags} and {@code /api/v1/lists}: OSDI collections, read one, create. */
public final class TagsApi {
    private final TagRepository tags;
    private final ListRepository lists;

    public TagsApi(org.jooq.DSLContext dsl) {
        this.tags = new TagRepository(dsl);
        this.lists = new ListRepository(dsl);
    }

    public void listTags(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        ctx.json(page(tags.all(), p).osdi("tags", TagsApi::tagJson));
    }

    public void readTag(Context ctx) {
        ctx.json(tagJson(tags.find(id(ctx, "Tag")).orElseThrow(() -> Problem.notFound("Tag"))));
    }

    public void createTag(Context ctx) {
        String name = Json.body(ctx).path("name").asText("");
        if (!TagRepository.validName(name)) {
            throw Problem.validation(List.of(new Problem.Error("name", Problem.describe("tag.invalid"))));
        }
        Tag tag = tags.findByName(name).orElseGet(() -> {
            tags.create(name);
            return tags.findByName(name).orElseThrow();
        });
        ctx.status(201).json(tagJson(tags.find(tag.id()).orElseThrow()));
    }

    public void listLists(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        ctx.json(page(lists.all(), p).osdi("lists", TagsApi::listJson));
    }

    public void readList(Context ctx) {
        ctx.json(listJson(lists.find(id(ctx, "List")).orElseThrow(() -> Problem.notFound("List"))));
    }

    public void createList(Context ctx) {
        var body = Json.body(ctx);
        String name = body.path("name").asText("");
        String description = body.path("description").asText("");
        PeopleApi.validate(TagListRoutes.validate(name, description));
        ctx.status(201).json(listJson(lists.find(lists.create(name, description)).orElseThrow()));
    }

    static Map<String, Object> tagJson(Tag t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifiers", List.of("convoca:" + t.id()));
        m.put("name", t.name());
        m.put("total_people", t.people());
        m.put("created_date", t.createdAt());
        m.put("modified_date", t.createdAt());
        return m;
    }

    static Map<String, Object> listJson(PeopleList l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifiers", List.of("convoca:" + l.id()));
        m.put("name", l.name());
        m.put("description", l.description());
        m.put("total_people", l.members());
        m.put("created_date", l.createdAt());
        m.put("modified_date", l.updatedAt());
        return m;
    }

    private static <T> Paged<T> page(List<T> all, int[] p) {
        int from = Math.min(all.size(), (p[0] - 1) * p[1]);
        return new Paged<>(all.subList(from, Math.min(all.size(), from + p[1])), all.size(), p[0], p[1]);
    }

    private static long id(Context ctx, String what) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw Problem.notFound(what);
        }
    }
}
