package org.convoca.supporter;

import static org.convoca.db.schema.Tables.PEOPLE;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.convoca.db.AppSecrets;
import org.convoca.web.HtmlError;
import org.convoca.web.Lang;
import org.convoca.web.Views;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The public page a supporter reaches from any email: stay subscribed, unsubscribe, choose a
 * language. Every change is a consent row (time, method, hashed address) and a timeline entry.
 */
public final class PreferenceRoutes {
    private final DSLContext dsl;
    private final PreferenceLinks links;
    private final PeopleDirectory directory;
    private final AppSecrets secrets;
    private final Views views;

    public PreferenceRoutes(DSLContext dsl, AppSecrets secrets, String baseUrl, Views views) {
        this.dsl = dsl;
        this.links = new PreferenceLinks(secrets, baseUrl);
        this.directory = new PeopleDirectory(dsl);
        this.secrets = secrets;
        this.views = views;
    }

    public PreferenceLinks links() {
        return links;
    }

    public void page(Context ctx) {
        Person person = person(ctx, ctx.queryParam("p"), ctx.queryParam("t"));
        render(ctx, person, null);
    }

    public void save(Context ctx) {
        Person person = person(ctx, ctx.formParam("p"), ctx.formParam("t"));
        boolean subscribe = "subscribed".equals(ctx.formParam("email_status"));
        String language = Lang.parse(ctx.formParam("language")).map(Lang::code).orElse(person.language());
        String status = change(person, subscribe ? "subscribed" : "unsubscribed", language, "preferences_page", ctx.ip());
        Person saved = directory.find(person.id()).orElseThrow();
        ctx.attribute("convoca.lang", null);
        views.lang(ctx, Lang.parse(saved.language()));
        render(ctx, saved, status);
    }

    /** RFC 8058: the mail client posts here from the List-Unsubscribe header; no page, no CSRF. */
    public void oneClick(Context ctx) {
        Person person = person(ctx, ctx.queryParam("p"), ctx.queryParam("t"));
        change(person, "unsubscribed", person.language(), "one_click", ctx.ip());
        ctx.status(200).result("Unsubscribed");
    }

    /** Applies the choice; returns the message key to show. Bouncing addresses cannot be re-subscribed here. */
    private String change(Person person, String wanted, String language, String method, String ip) {
        boolean statusChanges = !wanted.equals(person.emailStatus())
                && ("unsubscribed".equals(wanted) || "unsubscribed".equals(person.emailStatus()));
        dsl.transaction(c -> {
            DSLContext tx = c.dsl();
            tx.update(PEOPLE).set(PEOPLE.EMAIL_STATUS, statusChanges ? wanted : person.emailStatus())
                    .set(PEOPLE.LANGUAGE, language).set(PEOPLE.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(PEOPLE.ID.eq(person.id())).execute();
            if (statusChanges) {
                PersonEdits.consentChanged(tx, person.id(), wanted, method, "preferences");
                tx.update(org.convoca.db.schema.Tables.CONSENTS).set(org.convoca.db.schema.Tables.CONSENTS.IP_HASH, secrets.hmac(ip))
                        .where(org.convoca.db.schema.Tables.CONSENTS.PERSON_ID.eq(person.id()))
                        .and(org.convoca.db.schema.Tables.CONSENTS.CREATED_AT.eq(DSL.currentOffsetDateTime()))
                        .execute();
            }
        });
        if (!statusChanges && "subscribed".equals(wanted) && !"subscribed".equals(person.emailStatus())) {
            return "preferences.cannot_resubscribe";
        }
        return "subscribed".equals(wanted) ? "preferences.saved_subscribed" : "preferences.saved_unsubscribed";
    }

    private Person person(Context ctx, String p, String t) {
        Optional<Person> person = links.verify(p, t).flatMap(directory::find).filter(x -> !x.erased());
        if (person.isEmpty()) throw new HtmlError(404, "preferences.invalid_link");
        views.lang(ctx, Lang.parse(person.get().language()));
        return person.get();
    }

    private void render(Context ctx, Person person, String savedKey) {
        Map<String, Object> model = new HashMap<>();
        model.put("person", person);
        model.put("p", String.valueOf(person.id()));
        model.put("t", links.token(person.id()));
        model.put("saved", savedKey);
        views.render(ctx, "supporter/preferences", model);
    }
}
