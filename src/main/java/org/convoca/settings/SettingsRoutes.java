package org.convoca.settings;

import org.convoca.web.Inputs;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.auth.Emails;
import org.convoca.web.FieldError;
import org.convoca.web.Json;
import org.convoca.web.Lang;
import org.convoca.web.Problem;
import org.convoca.web.Views;

/** Organization settings: the admin page and {@code GET/PUT /api/v1/organization}. */
public final class SettingsRoutes {
    private final OrganizationRepository organization;
    private final Views views;

    public SettingsRoutes(OrganizationRepository organization, Views views) {
        this.organization = organization;
        this.views = views;
    }

    /** The submitted settings as strings, validated. */
    record Form(String name, String postalAddress, String senderEmail, String senderName, String defaultLanguage) {
        static Form of(Organization o) {
            return new Form(o.name(), o.postalAddress(), o.senderEmail(), o.senderName(), o.defaultLanguage().code());
        }

        List<FieldError> validate() {
            List<FieldError> errors = new ArrayList<>();
            if (name.isBlank()) errors.add(new FieldError("name", "field.required"));
            if (name.length() > 200) errors.add(new FieldError("name", "field.too_long"));
            if (postalAddress.length() > 500) errors.add(new FieldError("postal_address", "field.too_long"));
            if (!Emails.isValid(senderEmail)) errors.add(new FieldError("sender_email", "field.email.invalid"));
            if (senderName.length() > 200 || senderName.contains("\n") || senderName.contains("\r")) {
                errors.add(new FieldError("sender_name", "field.too_long"));
            }
            if (Lang.parse(defaultLanguage).isEmpty() || defaultLanguage.length() != 2) {
                errors.add(new FieldError("default_language", "field.language.invalid"));
            }
            return errors;
        }

        Organization toOrganization() {
            return new Organization(name.strip(), postalAddress.strip(), senderEmail.strip(), senderName.strip(),
                    Lang.parse(defaultLanguage).orElseThrow());
        }
    }

    public void page(Context ctx) {
        views.render(ctx, "settings/organization", Map.of("form", Form.of(organization.get())));
    }

    public void save(Context ctx) {
        Form form = new Form(Inputs.form(ctx, "name"), Inputs.form(ctx, "postal_address"), Inputs.form(ctx, "sender_email"), Inputs.form(ctx, "sender_name"),
                Inputs.form(ctx, "default_language"));
        List<FieldError> errors = form.validate();
        if (!errors.isEmpty()) {
            views.render(ctx, 422, "settings/organization", Map.of("form", form, "errors", views.errorMessages(ctx, errors)));
            return;
        }
        organization.update(form.toOrganization());
        views.redirectWithFlash(ctx, "/admin/settings", "settings.saved");
    }

    public void apiRead(Context ctx) {
        ctx.json(toJson(organization.get()));
    }

    public void apiUpdate(Context ctx) {
        JsonNode body = Json.body(ctx);
        Form base = Form.of(organization.get());
        Form form = new Form(Inputs.json(body, "name", base.name()), Inputs.json(body, "postal_address", base.postalAddress()),
                Inputs.json(body, "sender_email", base.senderEmail()), Inputs.json(body, "sender_name", base.senderName()),
                Inputs.json(body, "default_language", base.defaultLanguage()));
        List<FieldError> errors = form.validate();
        if (!errors.isEmpty()) {
            throw Problem.validation(errors.stream().map(e -> new Problem.Error(e.field(), Problem.describe(e.key()))).toList());
        }
        ctx.json(toJson(organization.update(form.toOrganization())));
    }

    private Map<String, Object> toJson(Organization o) {
        OffsetDateTime[] ts = organization.timestamps();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifiers", List.of("convoca:1"));
        m.put("created_date", ts[0]);
        m.put("modified_date", ts[1]);
        m.put("name", o.name());
        m.put("postal_address", o.postalAddress());
        m.put("sender_email", o.senderEmail());
        m.put("sender_name", o.senderName());
        m.put("default_language", o.defaultLanguage().code());
        return m;
    }

}
