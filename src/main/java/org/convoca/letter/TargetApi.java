package org.convoca.letter;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.FieldError;
import org.convoca.web.Json;
import org.convoca.web.Paged;
import org.convoca.web.Problem;

/** {@code /api/v1/targets}: list, create, read, update (partial; {@code "retired": true} retires). */
public final class TargetApi {
    private final TargetRepository targets;
    private final String baseUrl;

    public TargetApi(TargetRepository targets, String baseUrl) {
        this.targets = targets;
        this.baseUrl = baseUrl;
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        ctx.json(targets.list(p[0], p[1]).osdi("targets", TargetApi::toJson));
    }

    public void read(Context ctx) {
        ctx.json(toJson(load(ctx)));
    }

    public void create(Context ctx) {
        var json = Json.body(ctx);
        TargetForm form = TargetForm.from(json, TargetForm.empty());
        validate(form);
        try {
            Target t = targets.create(form);
            if (json.path("retired").asBoolean(false)) {
                targets.setRetired(t.id(), true);
                t = targets.find(t.id()).orElseThrow();
            }
            ctx.status(201).header("Location", baseUrl + "/api/v1/targets/" + t.id()).json(toJson(t));
        } catch (TargetRepository.EmailTaken e) {
            throw emailTaken();
        }
    }

    public void update(Context ctx) {
        Target existing = load(ctx);
        var json = Json.body(ctx);
        TargetForm form = TargetForm.from(json, TargetForm.of(existing));
        validate(form);
        try {
            targets.update(existing.id(), form);
            if (json.has("retired")) targets.setRetired(existing.id(), json.path("retired").asBoolean(false));
            ctx.json(toJson(targets.find(existing.id()).orElseThrow(() -> Problem.notFound("Target"))));
        } catch (TargetRepository.EmailTaken e) {
            throw emailTaken();
        }
    }

    static Map<String, Object> toJson(Target t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifiers", List.of("convoca:" + t.id()));
        m.put("id", t.id());
        m.put("created_date", t.createdAt());
        m.put("modified_date", t.updatedAt());
        m.put("given_name", t.givenName());
        m.put("family_name", t.familyName());
        m.put("title", t.title());
        m.put("body", t.body());
        m.put("email", t.email());
        m.put("district", t.district());
        m.put("schools", t.schools());
        m.put("postal_codes", t.postalCodes());
        m.put("retired", t.retired());
        m.put("retired_date", t.retiredAt());
        return m;
    }

    static void validate(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw Problem.validation(errors.stream().map(e -> new Problem.Error(e.field(), Problem.describe(e.key()))).toList());
        }
    }

    private static void validate(TargetForm form) {
        validate(form.validate());
    }

    private static Problem emailTaken() {
        return new Problem(409, "Conflict", "Another target already has this email",
                List.of(new Problem.Error("email", "is already used by another target")));
    }

    private Target load(Context ctx) {
        try {
            return targets.find(Long.parseLong(ctx.pathParam("id"))).orElseThrow(() -> Problem.notFound("Target"));
        } catch (NumberFormatException e) {
            throw Problem.notFound("Target");
        }
    }
}
