package org.convoca.supporter.imports;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.IMPORT_ROWS;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convoca.db.schema.Routines;
import org.convoca.db.schema.tables.ImportRows;
import org.convoca.supporter.TagRepository;
import org.convoca.web.Json;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;
import org.jooq.impl.DSL;

/**
 * Merges one chunk of staged rows (import_rows, file positions {@code from}..{@code to}) into
 * people with a few set-based statements, in the chunk's transaction: new addresses are inserted,
 * existing people get only the fields the file gives them (never blanked), and people whose data
 * would not change are not touched at all, so running the same file twice changes nothing. Erased
 * people stay erased.
 */
final class ImportMerge {
    record Counts(int created, int updated) {
    }

    private final DSLContext tx;
    private final long importId;
    private final String source;
    private final String tag;
    /** The chunk, one row per address: the file's last row for an address wins. */
    private final ImportRows s;
    /** The chunk's staged rows. */
    private final Condition chunk;

    ImportMerge(DSLContext tx, long importId, String tag, int from, int to) {
        this.tx = tx;
        this.importId = importId;
        this.tag = tag;
        this.source = "import:" + importId;
        this.s = IMPORT_ROWS.as("s");
        this.chunk = IMPORT_ROWS.IMPORT_ID.eq(importId).and(IMPORT_ROWS.SEQ.between(from, to));
    }

    /**
     * {@code rows}: staged rows in the chunk; {@code optIns}: some row of the file opted in (else
     * the consent statements are skipped); {@code steps} adds up the milliseconds each step took,
     * for the job's log line.
     */
    Counts run(int rows, Set<String> tagNames, boolean optIns, Map<String, Long> steps) {
        long t = System.nanoTime();
        Map<String, Long> tagIds = new LinkedHashMap<>();
        for (String name : tagNames) tagIds.put(name, TagRepository.ensure(tx, name));
        int created = insertNew(tagIds, optIns);
        t = lap(steps, "insert", t);
        // Every row created a person (a first import): there is nobody to update or tag, skip the joins.
        Long fileTag = tag == null || tag.isBlank() ? null : tagIds.get(tag.strip());
        int updated = created == rows ? 0 : updateExisting(optIns, fileTag);
        t = lap(steps, "update, timeline, file tag", t);
        if (created < rows) rowTags(tagIds).forEach(this::tagExisting);
        lap(steps, "row tags", t);
        return new Counts(created, updated);
    }

    private static long lap(Map<String, Long> steps, String step, long since) {
        long now = System.nanoTime();
        steps.merge(step, (now - since) / 1_000_000, Long::sum);
        return now;
    }

    private org.jooq.Table<?> latest() {
        return DSL.select(IMPORT_ROWS.fields()).distinctOn(IMPORT_ROWS.EMAIL_NORMALIZED).from(IMPORT_ROWS)
                .where(chunk)
                .orderBy(IMPORT_ROWS.EMAIL_NORMALIZED, IMPORT_ROWS.SEQ.desc()).asTable("s");
    }

    private <T> Field<T> f(Field<T> column) {
        return DSL.field(DSL.name("s", column.getName()), column.getDataType());
    }

    /**
     * Inserts the chunk's new addresses and, in the same statement (data-modifying CTEs reading the
     * insert's RETURNING), tags them and records their opt-ins: the new people are never looked up
     * again by email. They get no timeline row: their timeline shows "imported" from people.source
     * (see PeopleDirectory.timeline), which saves a row, four index entries and a foreign-key check
     * per person. Consents stay one row per person, as the legal record of each opt-in.
     */
    private int insertNew(Map<String, Long> tagIds, boolean optIns) {
        int created = 0;
        for (int attempt = 0; attempt < 5; attempt++) {
            var candidates = DSL.name("candidates").asMaterialized(
                    DSL.select(latest().fields()).from(latest())
                            .whereNotExists(DSL.selectOne().from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq(f(s.EMAIL_NORMALIZED)))));
            var c = candidates.as("s");
            var inserted = DSL.name("inserted").as(DSL.insertInto(PEOPLE, PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME, PEOPLE.EMAIL,
                            PEOPLE.EMAIL_NORMALIZED, PEOPLE.EMAIL_STATUS, PEOPLE.PHONE, PEOPLE.POSTAL_CODE, PEOPLE.LANGUAGE,
                            PEOPLE.SCHOOL, PEOPLE.CUSTOM_FIELDS, PEOPLE.REFERRAL_CODE, PEOPLE.SOURCE)
                    .select(DSL.select(f(s.GIVEN_NAME), f(s.FAMILY_NAME), f(s.EMAIL), f(s.EMAIL_NORMALIZED),
                                    DSL.when(f(s.OPT_IN), DSL.inline("subscribed")).otherwise(DSL.inline("unsubscribed")),
                                    f(s.PHONE), f(s.POSTAL_CODE), f(s.LANGUAGE), f(s.SCHOOL), f(s.CUSTOM_FIELDS),
                                    f(s.REFERRAL_CODE), DSL.val(source))
                            .from(c)
                            // In address order, new entries land next to each other in the email index
                            // instead of on random pages (about a quarter faster on 1,000,000 rows).
                            .orderBy(f(s.EMAIL_NORMALIZED)))
                    // A clash on a random referral code (or a sign-up of the same address committed
                    // meanwhile) skips the row here; it is retried below with a new code.
                    .onConflictDoNothing()
                    .returningResult(PEOPLE.ID, PEOPLE.EMAIL_NORMALIZED, PEOPLE.EMAIL_STATUS));
            Table<?> ins = inserted.as("ins");
            Field<Long> insId = ins.field(PEOPLE.ID.getName(), Long.class);
            Field<String> insEmail = ins.field(PEOPLE.EMAIL_NORMALIZED.getName(), String.class);
            List<CommonTableExpression<?>> ctes = new ArrayList<>(List.of(candidates, inserted));
            if (!tagIds.isEmpty()) ctes.add(tagNew(insId, insEmail, ins, tagIds));
            // Tags named by rows (not the file's tag) are matched to the staged rows by address: that
            // join must hash the chunk. Estimating the insert's output as a few rows (import_rows
            // statistics lag behind staging), PostgreSQL was seen to pick a nested loop that
            // rescanned the whole chunk for each new person, minutes for one chunk.
            boolean rowTags = !rowTags(tagIds).isEmpty();
            if (rowTags) tx.setLocal(DSL.name("enable_nestloop"), DSL.inline(false)).execute();
            if (optIns) ctes.add(DSL.name("consented").as(DSL.insertInto(CONSENTS, CONSENTS.PERSON_ID, CONSENTS.CHANNEL,
                            CONSENTS.GRANTED, CONSENTS.METHOD, CONSENTS.SOURCE)
                    .select(DSL.select(insId, DSL.inline("email"), DSL.inline(true), DSL.inline("import"), DSL.val(source))
                            .from(ins).where(ins.field(PEOPLE.EMAIL_STATUS.getName(), String.class).eq("subscribed")))
                    .returningResult(CONSENTS.ID)));
            var counts = tx.with(ctes.toArray(CommonTableExpression[]::new))
                    .select(DSL.field(DSL.selectCount().from(c)), DSL.field(DSL.selectCount().from(ins)))
                    .fetchSingle();
            if (rowTags) tx.setLocal(DSL.name("enable_nestloop"), DSL.inline(true)).execute();
            created += counts.value2();
            // Everyone who was missing got in: no second look at the chunk.
            if (counts.value2().equals(counts.value1())) break;
            Condition missing = chunk.andNotExists(DSL.selectOne().from(PEOPLE)
                    .where(PEOPLE.EMAIL_NORMALIZED.eq(IMPORT_ROWS.EMAIL_NORMALIZED)));
            tx.update(IMPORT_ROWS).set(IMPORT_ROWS.REFERRAL_CODE,
                    DSL.substring(DSL.md5(DSL.rand().cast(SQLDataType.VARCHAR)), 1, 10)).where(missing).execute();
        }
        return created;
    }

    /**
     * Tags the people just inserted: with the file's tag (every row has it, no join), and with the
     * tags each of the chunk's rows for their address names (a file may list an address twice, with
     * different tags): those rows are matched to the insert's output by address, in memory; people
     * is not read.
     */
    private CommonTableExpression<?> tagNew(Field<Long> insId, Field<String> insEmail, Table<?> ins, Map<String, Long> tagIds) {
        Long fileTag = tag == null || tag.isBlank() ? null : tagIds.get(tag.strip());
        Map<String, Long> rowTags = rowTags(tagIds);
        org.jooq.Select<org.jooq.Record2<Long, Long>> pairs = null;
        if (fileTag != null) pairs = DSL.select(insId, DSL.val(fileTag)).from(ins);
        if (!rowTags.isEmpty()) {
            Table<?> tg = tagTable(rowTags);
            var named = DSL.selectDistinct(insId, tg.field("tag_id", Long.class)).from(ins)
                    .join(IMPORT_ROWS).on(IMPORT_ROWS.EMAIL_NORMALIZED.eq(insEmail)).and(chunk)
                    .join(tg).on(names(tg.field("needle", String.class)));
            pairs = pairs == null ? named : DSL.select(insId, DSL.val(fileTag)).from(ins).union(named);
        }
        return DSL.name("tagged").as(DSL.insertInto(PERSON_TAGS, PERSON_TAGS.PERSON_ID, PERSON_TAGS.TAG_ID)
                .select(pairs)
                .onConflictDoNothing()
                .returningResult(PERSON_TAGS.PERSON_ID));
    }

    /** The tags that rows name, other than the file's own tag. */
    private Map<String, Long> rowTags(Map<String, Long> tagIds) {
        Map<String, Long> rowTags = new LinkedHashMap<>(tagIds);
        if (tag != null) rowTags.remove(tag.strip());
        return rowTags;
    }

    /** The file's tags as a table (tag_id, needle): the needle is the name between newlines. */
    private static Table<?> tagTable(Map<String, Long> tagIds) {
        List<org.jooq.Row2<Long, String>> rows = new ArrayList<>();
        tagIds.forEach((name, id) -> rows.add(DSL.row(DSL.val(id), DSL.val(needle(name)))));
        @SuppressWarnings("unchecked")
        org.jooq.Row2<Long, String>[] array = rows.toArray(org.jooq.Row2[]::new);
        return DSL.values(array).as("tg", "tag_id", "needle");
    }

    private static String needle(String name) {
        return "\n" + name + "\n";
    }

    /** The staged row names the tag: import_rows.tags holds the names separated by newlines. */
    private static Condition names(Field<String> needle) {
        return DSL.position(DSL.concat(DSL.inline("\n"), IMPORT_ROWS.TAGS, DSL.inline("\n")), needle).gt(0);
    }

    /**
     * "Written by this transaction", in a form no index can serve. With `= now()` the planner
     * reads the rows this transaction just wrote from the created_at/updated_at index, trusting
     * statistics that predate them (about one row), and joins each to the whole chunk: a 100,000 x
     * 100,000 loop that was seen to run for minutes. IS NOT DISTINCT FROM (the columns are never
     * null) keeps it on the chunk-first path: each staged row finds its person by email.
     */
    private static Condition changedNow(Field<java.time.OffsetDateTime> column) {
        return column.isNotDistinctFrom(DSL.currentOffsetDateTime());
    }

    /**
     * Updates the chunk's people who were here before it, in one statement that finds them once
     * (by email, materialized as "s") and, from that, records their opt-ins (read before the update
     * changes the status), gives them the file's tag with a tag entry for those who lacked it, and
     * writes a timeline row for each person the update changed (its RETURNING). Before, each of
     * these joined the chunk to people again: on a second run of a 1,000,000-row file, three
     * million index probes and heap fetches for nothing to do.
     */
    private int updateExisting(boolean optIns, Long fileTagId) {
        var t = latest();
        var matched = DSL.name("matched").asMaterialized(DSL.select(t.fields()).select(PEOPLE.ID.as("person_id"), PEOPLE.EMAIL_STATUS.as("stored_status"))
                .from(t).join(PEOPLE).on(PEOPLE.EMAIL_NORMALIZED.eq(f(s.EMAIL_NORMALIZED)))
                .where(PEOPLE.ERASED_AT.isNull()).and(PEOPLE.CREATED_AT.ne(DSL.currentOffsetDateTime())));
        Table<?> m = matched.as("s");
        Field<Long> personId = DSL.field(DSL.name("s", "person_id"), Long.class);
        Field<String> storedStatus = DSL.field(DSL.name("s", "stored_status"), String.class);
        Condition subscribes = f(s.OPT_IN).isTrue().and(PEOPLE.EMAIL_STATUS.eq("unsubscribed"));
        Field<JSONB> mergedCustom = Routines.peopleCustomMerge(PEOPLE.CUSTOM_FIELDS, f(s.CUSTOM_FIELDS));
        Condition changes = given(s.GIVEN_NAME, PEOPLE.GIVEN_NAME).or(given(s.FAMILY_NAME, PEOPLE.FAMILY_NAME))
                .or(given(s.PHONE, PEOPLE.PHONE)).or(given(s.POSTAL_CODE, PEOPLE.POSTAL_CODE))
                .or(given(s.SCHOOL, PEOPLE.SCHOOL))
                .or(f(s.LANGUAGE).isNotNull().and(f(s.LANGUAGE).isDistinctFrom(PEOPLE.LANGUAGE)))
                .or(mergedCustom.ne(PEOPLE.CUSTOM_FIELDS))
                .or(subscribes);
        var updated = DSL.name("updated").as(DSL.update(PEOPLE)
                .set(PEOPLE.GIVEN_NAME, keep(s.GIVEN_NAME, PEOPLE.GIVEN_NAME))
                .set(PEOPLE.FAMILY_NAME, keep(s.FAMILY_NAME, PEOPLE.FAMILY_NAME))
                .set(PEOPLE.PHONE, keep(s.PHONE, PEOPLE.PHONE))
                .set(PEOPLE.POSTAL_CODE, keep(s.POSTAL_CODE, PEOPLE.POSTAL_CODE))
                .set(PEOPLE.SCHOOL, keep(s.SCHOOL, PEOPLE.SCHOOL))
                .set(PEOPLE.LANGUAGE, DSL.coalesce(f(s.LANGUAGE), PEOPLE.LANGUAGE))
                .set(PEOPLE.CUSTOM_FIELDS, mergedCustom)
                .set(PEOPLE.EMAIL_STATUS, DSL.when(subscribes, DSL.inline("subscribed")).otherwise(PEOPLE.EMAIL_STATUS))
                .set(PEOPLE.UPDATED_AT, DSL.currentOffsetDateTime())
                .from(m)
                .where(PEOPLE.ID.eq(personId)).and(changes)
                .returningResult(PEOPLE.ID));
        Field<Long> updatedId = updated.field(PEOPLE.ID);
        List<CommonTableExpression<?>> ctes = new ArrayList<>(List.of(matched, updated));
        // One timeline row per person the update changed (new people have theirs from people.source).
        ctes.add(DSL.name("updated_entries").as(DSL.insertInto(ACTIVITIES, ACTIVITIES.PERSON_ID, ACTIVITIES.KIND,
                        ACTIVITIES.SUBJECT_ID, ACTIVITIES.DETAILS)
                .select(DSL.select(updatedId, DSL.inline("person.imported"), DSL.val(importId), DSL.val(details(false))).from(updated))
                .returningResult(ACTIVITIES.ID)));
        if (optIns) ctes.add(DSL.name("consented").as(DSL.insertInto(CONSENTS, CONSENTS.PERSON_ID, CONSENTS.CHANNEL,
                        CONSENTS.GRANTED, CONSENTS.METHOD, CONSENTS.SOURCE)
                .select(DSL.select(personId, DSL.inline("email"), DSL.inline(true), DSL.inline("import"), DSL.val(source))
                        .from(m).where(f(s.OPT_IN).isTrue()).and(storedStatus.eq("unsubscribed")))
                .returningResult(CONSENTS.ID)));
        if (fileTagId != null) {
            var added = DSL.name("added").as(DSL.insertInto(PERSON_TAGS, PERSON_TAGS.PERSON_ID, PERSON_TAGS.TAG_ID)
                    .select(DSL.select(personId, DSL.val(fileTagId)).from(m))
                    .onConflictDoNothing()
                    .returningResult(PERSON_TAGS.PERSON_ID));
            ctes.add(added);
            ctes.add(DSL.name("tag_entries").as(DSL.insertInto(ACTIVITIES, ACTIVITIES.PERSON_ID, ACTIVITIES.KIND,
                            ACTIVITIES.SUBJECT_ID, ACTIVITIES.DETAILS)
                    .select(DSL.select(added.field(PERSON_TAGS.PERSON_ID), DSL.inline("tag.added"), DSL.val(fileTagId),
                            DSL.val(json(Map.of("tag", tag.strip())))).from(added))
                    .returningResult(ACTIVITIES.ID)));
        }
        return tx.with(ctes.toArray(CommonTableExpression[]::new)).selectCount().from(updated).fetchSingle().value1();
    }

    private Condition given(Field<String> incoming, Field<String> stored) {
        return f(incoming).ne("").and(f(incoming).ne(stored));
    }

    private Field<String> keep(Field<String> incoming, Field<String> stored) {
        return DSL.when(f(incoming).eq(""), stored).otherwise(f(incoming));
    }

    /**
     * Gives a tag that rows name (not the file's tag: see updateExisting) to the chunk's people who
     * were here before it and lack it, with a tag entry on
     * their timeline, in one statement: the chunk is joined to people once, and the insert's
     * RETURNING names exactly the people who newly got the tag.
     */
    private void tagExisting(String name, long tagId) {
        var tagging = DSL.name("tagging").asMaterialized(DSL.selectDistinct(PEOPLE.ID.as("person_id")).from(IMPORT_ROWS)
                .join(PEOPLE).on(PEOPLE.EMAIL_NORMALIZED.eq(IMPORT_ROWS.EMAIL_NORMALIZED))
                .where(chunk).and(names(DSL.val(needle(name)))).and(PEOPLE.ERASED_AT.isNull()).andNot(changedNow(PEOPLE.CREATED_AT)));
        Field<Long> personId = tagging.field("person_id", Long.class);
        var added = DSL.name("added").as(DSL.insertInto(PERSON_TAGS, PERSON_TAGS.PERSON_ID, PERSON_TAGS.TAG_ID)
                .select(DSL.select(personId, DSL.val(tagId)).from(tagging))
                .onConflictDoNothing()
                .returningResult(PERSON_TAGS.PERSON_ID));
        tx.with(tagging, added).insertInto(ACTIVITIES, ACTIVITIES.PERSON_ID, ACTIVITIES.KIND, ACTIVITIES.SUBJECT_ID, ACTIVITIES.DETAILS)
                .select(DSL.select(added.field(PERSON_TAGS.PERSON_ID), DSL.inline("tag.added"), DSL.val(tagId),
                        DSL.val(json(Map.of("tag", name)))).from(added))
                .execute();
    }

    /** The timeline entry names the file's tag; per-tag entries would double the rows an import writes. */
    private JSONB details(boolean created) {
        return json(tag == null ? Map.of("import", importId, "created", created)
                : Map.of("import", importId, "created", created, "tag", tag));
    }

    private static JSONB json(Object value) {
        try {
            return JSONB.valueOf(Json.MAPPER.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
