package org.convoca.supporter;

import static org.convoca.db.schema.Tables.LISTS;
import static org.convoca.db.schema.Tables.LIST_MEMBERS;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record6;
import org.jooq.impl.DSL;

/** Static lists and their members (people stay on a list until removed, whatever they do next). */
public final class ListRepository {
    private final DSLContext dsl;

    public ListRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public List<PeopleList> all() {
        return select().groupBy(LISTS.ID).orderBy(DSL.lower(LISTS.NAME)).fetch(ListRepository::toList);
    }

    public Optional<PeopleList> find(long id) {
        return select().where(LISTS.ID.eq(id)).groupBy(LISTS.ID).fetchOptional(ListRepository::toList);
    }

    public long create(String name, String description) {
        return dsl.insertInto(LISTS).set(LISTS.NAME, name.strip()).set(LISTS.DESCRIPTION, description.strip())
                .returningResult(LISTS.ID).fetchSingle().value1();
    }

    public void update(long id, String name, String description) {
        dsl.update(LISTS).set(LISTS.NAME, name.strip()).set(LISTS.DESCRIPTION, description.strip())
                .set(LISTS.UPDATED_AT, DSL.currentOffsetDateTime()).where(LISTS.ID.eq(id)).execute();
    }

    public boolean delete(long id) {
        return dsl.deleteFrom(LISTS).where(LISTS.ID.eq(id)).execute() > 0;
    }

    /** Adds everyone the condition matches (a search, a segment, one person); returns how many joined. */
    public int addAll(long listId, Condition people) {
        return dsl.transactionResult(c -> {
            int n = c.dsl().insertInto(LIST_MEMBERS, LIST_MEMBERS.LIST_ID, LIST_MEMBERS.PERSON_ID)
                    .select(DSL.select(DSL.val(listId), PEOPLE.ID).from(PEOPLE).where(people))
                    .onConflictDoNothing().execute();
            c.dsl().update(LISTS).set(LISTS.UPDATED_AT, DSL.currentOffsetDateTime()).where(LISTS.ID.eq(listId)).execute();
            return n;
        });
    }

    public boolean remove(long listId, long personId) {
        return dsl.deleteFrom(LIST_MEMBERS).where(LIST_MEMBERS.LIST_ID.eq(listId)).and(LIST_MEMBERS.PERSON_ID.eq(personId))
                .execute() > 0;
    }

    public List<PeopleList> of(long personId) {
        return select().where(LISTS.ID.in(DSL.select(LIST_MEMBERS.LIST_ID).from(LIST_MEMBERS)
                .where(LIST_MEMBERS.PERSON_ID.eq(personId)))).groupBy(LISTS.ID).orderBy(LISTS.NAME)
                .fetch(ListRepository::toList);
    }

    private org.jooq.SelectOnConditionStep<Record6<Long, String, String, Integer, java.time.OffsetDateTime, java.time.OffsetDateTime>> select() {
        return dsl.select(LISTS.ID, LISTS.NAME, LISTS.DESCRIPTION, DSL.count(LIST_MEMBERS.PERSON_ID), LISTS.CREATED_AT, LISTS.UPDATED_AT)
                .from(LISTS).leftJoin(LIST_MEMBERS).on(LIST_MEMBERS.LIST_ID.eq(LISTS.ID));
    }

    private static PeopleList toList(Record6<Long, String, String, Integer, java.time.OffsetDateTime, java.time.OffsetDateTime> r) {
        return new PeopleList(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6());
    }
}
