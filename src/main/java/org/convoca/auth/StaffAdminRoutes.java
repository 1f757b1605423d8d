package org.convoca.auth;

import org.convoca.web.Inputs;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.FieldError;
import org.convoca.web.HtmlError;
import org.convoca.web.Views;

/** Admin pages for staff accounts and API keys. */
public final class StaffAdminRoutes {
    private final UserRepository users;
    private final StaffAccounts accounts;
    private final ApiKeyRepository apiKeys;
    private final Views views;

    public StaffAdminRoutes(UserRepository users, StaffAccounts accounts, ApiKeyRepository apiKeys, Views views) {
        this.users = users;
        this.accounts = accounts;
        this.apiKeys = apiKeys;
        this.views = views;
    }

    public void users(Context ctx) {
        renderUsers(ctx, 200, Map.of("email", "", "name", "", "role", "organizer"), List.of());
    }

    public void createUser(Context ctx) {
        Map<String, String> form = Map.of("email", Inputs.form(ctx, "email"), "name", Inputs.form(ctx, "name"), "role", Inputs.form(ctx, "role"));
        StaffAccounts.Result r = accounts.create(form.get("email"), form.get("name"), form.get("role"), Inputs.form(ctx, "password"));
        if (!r.errors().isEmpty()) {
            renderUsers(ctx, 422, form, r.errors());
            return;
        }
        views.redirectWithFlash(ctx, "/admin/users", "user.created");
    }

    public void apiKeys(Context ctx) {
        views.render(ctx, "auth/api_keys", Map.of("keys", apiKeys.all(), "newToken", ""));
    }

    /** Creates a key for the signed-in admin and shows the token once. */
    public void createApiKey(Context ctx) {
        long userId = org.convoca.web.Access.requirePrincipal(ctx).user().id();
        String name = Inputs.form(ctx, "name").replaceAll("\\p{Cntrl}", " ").strip();
        if (name.length() > 100) name = name.substring(0, 100);
        String token = apiKeys.create(userId, name);
        ctx.header("Cache-Control", "no-store");
        views.render(ctx, "auth/api_keys", Map.of("keys", apiKeys.all(), "newToken", token));
    }

    public void revokeApiKey(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw HtmlError.notFound();
        }
        if (!apiKeys.revoke(id)) throw HtmlError.notFound();
        views.redirectWithFlash(ctx, "/admin/api-keys", "apikey.revoked");
    }

    private void renderUsers(Context ctx, int status, Map<String, String> form, List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("users", users.all());
        model.put("form", form);
        model.put("errors", views.errorMessages(ctx, errors));
        views.render(ctx, status, "auth/users", model);
    }

}
