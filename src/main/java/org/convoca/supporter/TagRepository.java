package org.convoca.supporter;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;
import static org.convoca.db.schema.Tables.TAGS;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.convoca.web.Json;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/**
 * Tags on people, one by one or in bulk over a search. Every change is on the person's timeline
 * ({@code tag.added}, {@code tag.removed}) and bumps their modified date, in one transaction.
 */
public final class TagRepository {
    public static final int MAX_NAME = 100;
    private final DSLContext dsl;

    public TagRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Tags match case- and space-insensitively, as the unique index lower(btrim(name)). */
    static Field<String> nameKey(Field<String> name) {
        return DSL.lower(DSL.trim(name));
    }

    static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    public static boolean validName(String name) {
        return name != null && !name.isBlank() && name.strip().length() <= MAX_NAME && !name.matches(".*\\p{Cntrl}.*");
    }

    public List<Tag> all() {
        return dsl.select(TAGS.ID, TAGS.NAME, DSL.count(PERSON_TAGS.PERSON_ID), TAGS.CREATED_AT)
                .from(TAGS).leftJoin(PERSON_TAGS).on(PERSON_TAGS.TAG_ID.eq(TAGS.ID))
                .groupBy(TAGS.ID).orderBy(DSL.lower(TAGS.NAME))
                .fetch(r -> new Tag(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    public Optional<Tag> find(long id) {
        return all().stream().filter(t -> t.id() == id).findFirst();
    }

    public Optional<Tag> findByName(String name) {
        if (!validName(name)) return Optional.empty();
        return dsl.select(TAGS.ID, TAGS.NAME, TAGS.CREATED_AT).from(TAGS).where(nameKey(TAGS.NAME).eq(key(name)))
                .fetchOptional(r -> new Tag(r.value1(), r.value2(), 0, r.value3()));
    }

    /** The tag's id, creating it on first use (safe when two requests create it together). */
    public static long ensure(DSLContext tx, String name) {
        tx.insertInto(TAGS).set(TAGS.NAME, name.strip()).onConflictDoNothing().execute();
        return tx.select(TAGS.ID).from(TAGS).where(nameKey(TAGS.NAME).eq(key(name))).fetchSingle(TAGS.ID);
    }

    public long create(String name) {
        return ensure(dsl, name);
    }

    /** Adds the tag to one person in the caller's transaction; false when they already had it. */
    public static boolean add(DSLContext tx, long personId, String name) {
        long tagId = ensure(tx, name);
        int n = tx.insertInto(PERSON_TAGS).set(PERSON_TAGS.PERSON_ID, personId).set(PERSON_TAGS.TAG_ID, tagId)
                .onConflictDoNothing().execute();
        if (n == 0) return false;
        Activities.record(tx, personId, "tag.added", tagId, Map.of("tag", name.strip()));
        touch(tx, PEOPLE.ID.eq(personId));
        return true;
    }

    public boolean add(long personId, String name) {
        return dsl.transactionResult(c -> add(c.dsl(), personId, name));
    }

    public boolean remove(long personId, long tagId) {
        return dsl.transactionResult(c -> {
            DSLContext tx = c.dsl();
            String name = tx.select(TAGS.NAME).from(TAGS).where(TAGS.ID.eq(tagId)).fetchOptional(TAGS.NAME).orElse(null);
            if (name == null) return false;
            int n = tx.deleteFrom(PERSON_TAGS).where(PERSON_TAGS.PERSON_ID.eq(personId)).and(PERSON_TAGS.TAG_ID.eq(tagId)).execute();
            if (n == 0) return false;
            Activities.record(tx, personId, "tag.removed", tagId, Map.of("tag", name));
            touch(tx, PEOPLE.ID.eq(personId));
            return true;
        });
    }

    /** Tags everyone the condition matches; returns how many people newly got the tag. */
    public int addAll(Condition people, String name) {
        return dsl.transactionResult(c -> {
            DSLContext tx = c.dsl();
            long tagId = ensure(tx, name);
            int n = tx.insertInto(PERSON_TAGS, PERSON_TAGS.PERSON_ID, PERSON_TAGS.TAG_ID)
                    .select(DSL.select(PEOPLE.ID, DSL.val(tagId)).from(PEOPLE).where(people))
                    .onConflictDoNothing().execute();
            // Rows this transaction inserted carry its now(): those are the people to note on the timeline.
            Condition fresh = PERSON_TAGS.TAG_ID.eq(tagId).and(PERSON_TAGS.CREATED_AT.eq(DSL.currentOffsetDateTime()));
            tx.insertInto(ACTIVITIES, ACTIVITIES.PERSON_ID, ACTIVITIES.KIND, ACTIVITIES.SUBJECT_ID, ACTIVITIES.DETAILS)
                    .select(DSL.select(PERSON_TAGS.PERSON_ID, DSL.val("tag.added"), DSL.val(tagId), DSL.val(details(name)))
                            .from(PERSON_TAGS).where(fresh))
                    .execute();
            touch(tx, PEOPLE.ID.in(DSL.select(PERSON_TAGS.PERSON_ID).from(PERSON_TAGS).where(fresh)));
            return n;
        });
    }

    /** Removes the tag from everyone the condition matches; returns how many lost it. */
    public int removeAll(Condition people, long tagId) {
        return dsl.transactionResult(c -> {
            DSLContext tx = c.dsl();
            String name = tx.select(TAGS.NAME).from(TAGS).where(TAGS.ID.eq(tagId)).fetchOptional(TAGS.NAME).orElse(null);
            if (name == null) return 0;
            Condition tagged = PEOPLE.ID.in(DSL.select(PERSON_TAGS.PERSON_ID).from(PERSON_TAGS).where(PERSON_TAGS.TAG_ID.eq(tagId)));
            tx.insertInto(ACTIVITIES, ACTIVITIES.PERSON_ID, ACTIVITIES.KIND, ACTIVITIES.SUBJECT_ID, ACTIVITIES.DETAILS)
                    .select(DSL.select(PEOPLE.ID, DSL.val("tag.removed"), DSL.val(tagId), DSL.val(details(name)))
                            .from(PEOPLE).where(people).and(tagged))
                    .execute();
            touch(tx, people.and(tagged));
            return tx.deleteFrom(PERSON_TAGS).where(PERSON_TAGS.TAG_ID.eq(tagId))
                    .and(PERSON_TAGS.PERSON_ID.in(DSL.select(PEOPLE.ID).from(PEOPLE).where(people))).execute();
        });
    }

    private static void touch(DSLContext tx, Condition which) {
        tx.update(PEOPLE).set(PEOPLE.UPDATED_AT, DSL.currentOffsetDateTime()).where(which).execute();
    }

    private static JSONB details(String name) {
        try {
            return JSONB.valueOf(Json.MAPPER.writeValueAsString(Map.of("tag", name.strip())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
