package org.convoca.supporter;

import static org.convoca.db.schema.Tables.PEOPLE;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convoca.auth.Emails;
import org.convoca.db.AppSecrets;
import org.convoca.web.Access;
import org.convoca.web.FieldError;
import org.convoca.web.Json;
import org.convoca.web.Paged;
import org.convoca.web.Problem;
import org.jooq.Condition;
import org.jooq.DSLContext;

/**
 * {@code /api/v1/people}: the OSDI collection (filters email, tag, modified_since; CSV on
 * {@code Accept: text/csv}), read, update, erase, and the signup helper that creates or updates
 * by email.
 */
public final class PeopleApi {
    private final DSLContext dsl;
    private final PeopleDirectory directory;
    private final PersonEdits edits;
    private final AppSecrets secrets;
    private final String phoneRegion;

    public PeopleApi(DSLContext dsl, AppSecrets secrets, String phoneRegion) {
        this.dsl = dsl;
        this.directory = new PeopleDirectory(dsl);
        this.edits = new PersonEdits(dsl);
        this.secrets = secrets;
        this.phoneRegion = phoneRegion;
    }

    public void list(Context ctx) {
        Condition where = filters(ctx).and(visibleTo(ctx));
        String accept = ctx.header("Accept");
        if (accept != null && accept.toLowerCase().contains("text/csv")) {
            PeopleCsv.send(ctx, dsl, where, "people");
            return;
        }
        int[] p = Paged.params(ctx, 25);
        ctx.json(directory.pageFull(where, p[0], p[1]).osdi("people", PersonJson::of));
    }

    public void read(Context ctx) {
        Person person = load(ctx);
        if (!dsl.fetchExists(PEOPLE, PEOPLE.ID.eq(person.id()).and(visibleTo(ctx)))) throw Problem.notFound("Person");
        ctx.json(PersonJson.of(person));
    }

    /**
     * Organizers see everyone; a leader sees only the people recruited with their own referral
     * code (their person is the one with their staff email).
     */
    private Condition visibleTo(Context ctx) {
        var user = Access.requirePrincipal(ctx).user();
        if (user.organizer()) return org.jooq.impl.DSL.trueCondition();
        return PersonRepository.idByEmail(dsl, user.email()).map(PEOPLE.RECRUITED_BY::eq)
                .orElse(org.jooq.impl.DSL.falseCondition());
    }

    /** PUT: keys present replace stored values; absent keys keep them (OSDI's partial update). */
    public void update(Context ctx) {
        Person person = load(ctx);
        if (person.erased()) throw new Problem(410, "Gone", "This person was erased");
        JsonNode body = Json.body(ctx);
        PersonForm form = ApiPersonForm.merge(PersonForm.of(person), body);
        validate(form.validate(phoneRegion));
        String phone = form.phone().isBlank() ? "" : Phones.normalize(form.phone(), phoneRegion).orElseThrow();
        try {
            edits.update(person, form, phone, "api", "api:" + Access.requirePrincipal(ctx).user().id());
        } catch (PersonEdits.EmailTaken e) {
            throw new Problem(409, "Conflict", "Another person has this email",
                    List.of(new Problem.Error("email_addresses", "belongs to another person")));
        }
        ctx.json(PersonJson.of(directory.find(person.id()).orElseThrow()));
    }

    /** DELETE erases: personal data removed, the address stays suppressed. */
    public void delete(Context ctx) {
        Person person = load(ctx);
        edits.erase(person.id(), "api:" + Access.requirePrincipal(ctx).user().id());
        ctx.json(Map.of("notice", "The person's personal data was erased"));
    }

    /** The OSDI person signup helper: {@code {"person": {...}, "add_tags": [...]}}. */
    public void signup(Context ctx) {
        JsonNode body = Json.body(ctx);
        JsonNode personNode = body.path("person");
        String ref = body.path("referrer_data").path("referrer").asText("");
        PersonInput in = PersonInput.fromOsdi(personNode, ref);
        List<FieldError> errors = new ArrayList<>(in.validate(phoneRegion));
        List<String> addTags = new ArrayList<>();
        body.path("add_tags").forEach(t -> addTags.add(t.asText("")));
        if (addTags.stream().anyMatch(t -> !TagRepository.validName(t))) errors.add(new FieldError("add_tags", "tag.invalid"));
        validate(errors);
        Map<String, Object> custom = ApiPersonForm.customFields(personNode);
        String phone = in.phone().isBlank() ? null : Phones.normalize(in.phone(), phoneRegion).orElseThrow();
        String staff = "api:" + Access.requirePrincipal(ctx).user().id();
        PersonRepository.Upserted result = dsl.transactionResult(c -> {
            DSLContext tx = c.dsl();
            var up = PersonRepository.upsert(tx, in, phone, new PersonRepository.Origin("api", "api", secrets.hmac(ctx.ip())));
            boolean live = tx.fetchExists(PEOPLE, PEOPLE.ID.eq(up.personId()).and(PEOPLE.ERASED_AT.isNull()));
            if (!live) return up;
            if (!custom.isEmpty()) mergeCustomFields(tx, up.personId(), custom);
            Activities.record(tx, up.personId(), up.created() ? "person.created" : "person.updated", null,
                    Map.of("source", "api", "by", staff));
            for (String t : addTags) TagRepository.add(tx, up.personId(), t);
            return up;
        });
        ctx.status(result.created() ? 201 : 200).json(PersonJson.of(directory.find(result.personId()).orElseThrow()));
    }

    /** Given custom fields are added or replaced; others stay (the row is locked while merging). */
    static void mergeCustomFields(DSLContext tx, long personId, Map<String, Object> custom) {
        var stored = tx.select(PEOPLE.CUSTOM_FIELDS).from(PEOPLE).where(PEOPLE.ID.eq(personId)).forUpdate()
                .fetchSingle(PEOPLE.CUSTOM_FIELDS);
        Map<String, Object> merged = new java.util.LinkedHashMap<>(PeopleDirectory.map(stored));
        merged.putAll(custom);
        tx.update(PEOPLE).set(PEOPLE.CUSTOM_FIELDS, PersonEdits.json(merged)).where(PEOPLE.ID.eq(personId)).execute();
    }

    private Condition filters(Context ctx) {
        Condition c = PEOPLE.ERASED_AT.isNull();
        String email = ctx.queryParam("email");
        if (email != null && !email.isBlank()) c = c.and(PEOPLE.EMAIL_NORMALIZED.eq(Emails.normalize(email)));
        String tag = ctx.queryParam("tag");
        if (tag != null && !tag.isBlank()) c = c.and(PeopleSearch.hasTag(tag));
        String since = ctx.queryParam("modified_since");
        if (since != null && !since.isBlank()) c = c.and(PEOPLE.UPDATED_AT.ge(instant(since)));
        return c;
    }

    private static OffsetDateTime instant(String iso) {
        try {
            return OffsetDateTime.parse(iso.strip());
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(iso.strip()).atStartOfDay().atOffset(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new Problem(400, "Bad Request", "modified_since must be an ISO 8601 date or date-time",
                        List.of(new Problem.Error("modified_since", "must be an ISO 8601 date or date-time")));
            }
        }
    }

    static void validate(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw Problem.validation(errors.stream().map(e -> new Problem.Error(ApiPersonForm.jsonField(e.field()),
                    Problem.describe(e.key()))).toList());
        }
    }

    private Person load(Context ctx) {
        try {
            return directory.find(Long.parseLong(ctx.pathParam("id"))).orElseThrow(() -> Problem.notFound("Person"));
        } catch (NumberFormatException e) {
            throw Problem.notFound("Person");
        }
    }
}
