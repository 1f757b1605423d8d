package org.convoca.event;

import org.convoca.supporter.Ladder;
import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.EVENTS;
import static org.convoca.db.schema.Tables.PEOPLE;

import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.auth.User;
import org.convoca.db.AppSecrets;
import org.convoca.supporter.Activities;
import org.convoca.supporter.PersonInput;
import org.convoca.supporter.PersonRepository;
import org.convoca.supporter.Phones;
import org.convoca.web.FieldError;
import org.convoca.web.Views;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * A leader's phone-first page: their referral link, the events they host, and their own people
 * (recruited with their code) with pledged / came / no-show and tap-to-call and tap-to-text links.
 * A leader sees nobody else. Confidential events hosted by someone else are left out of the counts.
 */
public final class LeaderRoutes {
    /** One of the leader's people. */
    public record MyPerson(long id, String name, String email, String phone, int pledged, int came, int noShows, String level) {
        public String phoneDigits() {
            return phone.replaceAll("[^+0-9]", "");
        }
    }

    private final DSLContext dsl;
    private final Leaders leaders;
    private final Views views;
    private final AppSecrets secrets;
    private final EventLinks links;
    private final String phoneRegion;

    public LeaderRoutes(DSLContext dsl, Leaders leaders, Views views, AppSecrets secrets, EventLinks links, String phoneRegion) {
        this.dsl = dsl;
        this.leaders = leaders;
        this.views = views;
        this.secrets = secrets;
        this.links = links;
        this.phoneRegion = phoneRegion;
    }

    public void page(Context ctx) {
        render(ctx, 200, new PersonInput("", "", "", "", "", "", false, ""), List.of());
    }

    /** "I talked to …": the person is created (or found) and credited to this leader if nobody was first. */
    public void addPerson(Context ctx) {
        User user = EventAdminRoutes.user(ctx);
        Leaders.Self self = leaders.self(user);
        PersonInput f = PersonInput.from(ctx);
        PersonInput in = new PersonInput(f.givenName(), f.familyName(), f.email(), f.postalCode(), f.phone(), f.language(),
                false, self.referralCode());
        List<FieldError> errors = in.validate(phoneRegion);
        if (!errors.isEmpty()) {
            render(ctx, 422, in, errors);
            return;
        }
        String phone = Phones.normalize(in.phone(), phoneRegion).orElse("");
        boolean mine = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            long id = PersonRepository.upsert(tx, in, phone,
                    new PersonRepository.Origin("leader:" + user.id(), "admin", secrets.hmac(ctx.ip()))).personId();
            Activities.record(tx, id, "leader.talked_to", self.personId(), Map.of());
            return Long.valueOf(self.personId()).equals(tx.select(PEOPLE.RECRUITED_BY).from(PEOPLE)
                    .where(PEOPLE.ID.eq(id)).fetchSingle(PEOPLE.RECRUITED_BY));
        });
        views.redirectWithFlash(ctx, "/lead", mine ? "leader.added" : "leader.added_elsewhere");
    }

    private void render(Context ctx, int status, PersonInput form, List<FieldError> errors) {
        User user = EventAdminRoutes.user(ctx);
        Leaders.Self self = leaders.self(user);
        var hosted = dsl.selectFrom(EVENTS).where(EVENTS.HOST_USER_ID.eq(user.id()),
                        EVENTS.END_AT.ge(OffsetDateTime.now().minusDays(1)))
                .orderBy(EVENTS.START_AT).limit(20).fetch(EventRepository::toEvent);
        Map<String, Object> m = new HashMap<>();
        m.put("code", self.referralCode());
        // Share links: upcoming public events with the code, so pledges through them are credited.
        m.put("shareLinks", dsl.selectFrom(EVENTS).where(EVENTS.START_AT.ge(OffsetDateTime.now()),
                        EVENTS.CONFIDENTIAL.isFalse(), EVENTS.STATUS.eq("scheduled"))
                .orderBy(EVENTS.START_AT).limit(10).fetch(EventRepository::toEvent).stream()
                .map(e -> Map.of("title", e.title(views.lang(ctx).code()), "when", e.when(views.lang(ctx).code()),
                        "url", links.eventReferralUrl(e, self.referralCode())))
                .toList());
        m.put("hosted", hosted);
        m.put("people", people(self.personId(), user.id()));
        m.put("form", form);
        m.put("errors", views.errorMessages(ctx, errors));
        views.render(ctx, status, "event/leader", m);
    }

    /** The leader's recruits with their turnout, most recent first. */
    List<MyPerson> people(long leaderPersonId, long userId) {
        Condition counted = ATTENDANCES.PERSON_ID.eq(PEOPLE.ID).and(EVENTS.CONFIDENTIAL.isFalse().or(EVENTS.HOST_USER_ID.eq(userId)));
        Condition pledge = ATTENDANCES.STATUS.eq("accepted").and(ATTENDANCES.WALK_IN.isFalse());
        var a = DSL.select(
                        DSL.count().filterWhere(pledge).as("pledged"),
                        DSL.count().filterWhere(ATTENDANCES.ATTENDED.isTrue()).as("came"),
                        DSL.count().filterWhere(pledge.and(ATTENDANCES.ATTENDED.isFalse())
                                .and(EVENTS.START_AT.le(DSL.currentOffsetDateTime()))).as("no_shows"))
                .from(ATTENDANCES).join(EVENTS).on(EVENTS.ID.eq(ATTENDANCES.EVENT_ID))
                .where(counted).asTable("a");
        return dsl.select(PEOPLE.ID, PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME, PEOPLE.EMAIL, PEOPLE.PHONE,
                        a.field("pledged", Integer.class), a.field("came", Integer.class), a.field("no_shows", Integer.class),
                        Ladder.level())
                .from(PEOPLE).crossJoin(DSL.lateral(a))
                .where(PEOPLE.RECRUITED_BY.eq(leaderPersonId), PEOPLE.ERASED_AT.isNull())
                .orderBy(PEOPLE.CREATED_AT.desc(), PEOPLE.ID.desc())
                .limit(500)
                .fetch(r -> new MyPerson(r.value1(), (r.value2() + " " + r.value3()).strip(), r.value4(), r.value5(),
                        r.value6(), r.value7(), r.value8(), r.value9()));
    }
}
