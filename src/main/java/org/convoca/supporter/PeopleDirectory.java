package org.convoca.supporter;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;
import static org.convoca.db.schema.Tables.TAGS;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convoca.db.schema.tables.People;
import org.convoca.web.Json;
import org.convoca.web.Paged;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** Reads the list: pages of a search, one person with tags, a person's timeline. */
public final class PeopleDirectory {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private final DSLContext dsl;

    public PeopleDirectory(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A page of people matching the condition, newest first; the total comes from the same query. */
    public Paged<PersonSummary> page(Condition where, int page, int perPage) {
        var total = DSL.count().over().as("total");
        var rows = dsl.select(PEOPLE.ID, PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME, PEOPLE.EMAIL, PEOPLE.EMAIL_STATUS,
                        PEOPLE.PHONE, PEOPLE.POSTAL_CODE, PEOPLE.CREATED_AT, total)
                .from(PEOPLE).where(where)
                .orderBy(PEOPLE.ID.desc())
                .limit(perPage).offset((long) (page - 1) * perPage)
                .fetch();
        int count = rows.isEmpty() ? (page == 1 ? 0 : count(where)) : rows.get(0).get(total);
        return new Paged<>(rows.map(PeopleDirectory::summary), count, page, perPage);
    }

    /**
     * The newest few people matching, without a total: a window count over the page reads every
     * matching person's row, where {@link #count} can answer from indexes alone.
     */
    public List<PersonSummary> newest(Condition where, int n) {
        return dsl.select(PEOPLE.ID, PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME, PEOPLE.EMAIL, PEOPLE.EMAIL_STATUS,
                        PEOPLE.PHONE, PEOPLE.POSTAL_CODE, PEOPLE.CREATED_AT)
                .from(PEOPLE).where(where).orderBy(PEOPLE.ID.desc()).limit(n)
                .fetch(PeopleDirectory::summary);
    }

    private static PersonSummary summary(Record r) {
        return new PersonSummary(r.get(PEOPLE.ID), r.get(PEOPLE.GIVEN_NAME), r.get(PEOPLE.FAMILY_NAME), r.get(PEOPLE.EMAIL),
                r.get(PEOPLE.EMAIL_STATUS), r.get(PEOPLE.PHONE), r.get(PEOPLE.POSTAL_CODE), r.get(PEOPLE.CREATED_AT));
    }

    public int count(Condition where) {
        return dsl.fetchCount(PEOPLE, where);
    }

    /** Full records for the API: one query for the people, one for their tags. */
    public Paged<Person> pageFull(Condition where, int page, int perPage) {
        Paged<PersonSummary> ids = page(where, page, perPage);
        List<Long> idList = ids.items().stream().map(PersonSummary::id).toList();
        Map<Long, List<String>> tags = tagsOf(idList);
        People recruiter = PEOPLE.as("recruiter");
        List<Person> people = select(recruiter).where(PEOPLE.ID.in(idList)).orderBy(PEOPLE.ID.desc())
                .fetch(r -> toPerson(r, recruiter, tags.getOrDefault(r.get(PEOPLE.ID), List.of())));
        return new Paged<>(people, ids.total(), ids.page(), ids.perPage());
    }

    public Optional<Person> find(long id) {
        People recruiter = PEOPLE.as("recruiter");
        return select(recruiter).where(PEOPLE.ID.eq(id))
                .fetchOptional(r -> toPerson(r, recruiter, tagsOf(List.of(id)).getOrDefault(id, List.of())));
    }

    /** Newest first; the page shows the latest {@code limit} entries. */
    public List<Activity> timeline(long personId, int limit) {
        List<Activity> stored = dsl.selectFrom(ACTIVITIES).where(ACTIVITIES.PERSON_ID.eq(personId))
                .orderBy(ACTIVITIES.OCCURRED_AT.desc(), ACTIVITIES.ID.desc())
                .limit(limit)
                .fetch(r -> new Activity(r.getId(), r.getKind(), r.getSubjectId(), map(r.getDetails()), r.getOccurredAt()));
        return ImportedEntry.with(SentEmailEntries.with(dsl, personId, stored, limit), ImportedEntry.of(dsl, personId), limit);
    }

    Map<Long, List<String>> tagsOf(List<Long> personIds) {
        return dsl.select(PERSON_TAGS.PERSON_ID, TAGS.NAME).from(PERSON_TAGS).join(TAGS).on(TAGS.ID.eq(PERSON_TAGS.TAG_ID))
                .where(PERSON_TAGS.PERSON_ID.in(personIds)).orderBy(TAGS.NAME)
                .fetchGroups(PERSON_TAGS.PERSON_ID, TAGS.NAME);
    }

    private org.jooq.SelectJoinStep<Record> select(People recruiter) {
        return dsl.select(PEOPLE.fields()).select(DSL.concat(recruiter.GIVEN_NAME, DSL.inline(" "), recruiter.FAMILY_NAME).as("recruiter_name"))
                .from(PEOPLE).leftJoin(recruiter).on(recruiter.ID.eq(PEOPLE.RECRUITED_BY));
    }

    private static Person toPerson(Record r, People recruiter, List<String> tags) {
        return new Person(r.get(PEOPLE.ID), r.get(PEOPLE.GIVEN_NAME), r.get(PEOPLE.FAMILY_NAME), r.get(PEOPLE.EMAIL),
                r.get(PEOPLE.EMAIL_STATUS), r.get(PEOPLE.PHONE), r.get(PEOPLE.POSTAL_CODE), r.get(PEOPLE.LANGUAGE),
                r.get(PEOPLE.SCHOOL), map(r.get(PEOPLE.CUSTOM_FIELDS)), r.get(PEOPLE.REFERRAL_CODE),
                r.get(PEOPLE.RECRUITED_BY), r.get("recruiter_name", String.class) == null ? null
                        : r.get("recruiter_name", String.class).strip(),
                r.get(PEOPLE.SOURCE), r.get(PEOPLE.ERASED_AT), r.get(PEOPLE.CREATED_AT), r.get(PEOPLE.UPDATED_AT), tags);
    }

    static Map<String, Object> map(JSONB json) {
        if (json == null) return Map.of();
        try {
            Map<String, Object> m = Json.MAPPER.readValue(json.data(), MAP);
            return m == null ? Map.of() : m;
        } catch (IOException e) {
            return Map.of();
        }
    }
}
