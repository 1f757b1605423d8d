package org.convoca.supporter;

import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.db.schema.DefaultSchema;
import org.convoca.db.schema.tables.records.PeopleRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.ForeignKey;
import org.jooq.Table;
import org.jooq.UniqueKey;
import org.jooq.impl.DSL;

/**
 * Merges a duplicate person into the one kept. Every row of every table that references
 * people(id) moves over: the list is read from the generated schema's foreign keys, so signatures,
 * attendances, outreaches and whatever features come next are included without being named here.
 * Where the kept person already has the same fact (a unique key would clash: both signed the same
 * petition, both carry a tag), the duplicate's copy is the one dropped. Blank fields of the kept
 * person are filled from the duplicate, whose address is kept as a custom field.
 */
public final class PersonMerge {
    /** The two ids are the same, or one of them is missing or erased. */
    public static final class Refused extends RuntimeException {
        public Refused() {
            super("merge refused", null, false, false);
        }
    }

    private final DSLContext dsl;

    public PersonMerge(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Returns how many rows moved, per table. */
    public Map<String, Integer> merge(long keepId, long dropId, String staff) {
        if (keepId == dropId) throw new Refused();
        return dsl.transactionResult(c -> {
            DSLContext tx = c.dsl();
            // Lock both rows in id order, so two merges of the same pair cannot deadlock.
            List<PeopleRecord> both = tx.selectFrom(PEOPLE).where(PEOPLE.ID.in(keepId, dropId)).and(PEOPLE.ERASED_AT.isNull())
                    .orderBy(PEOPLE.ID).forUpdate().fetch();
            if (both.size() != 2) throw new Refused();
            PeopleRecord keep = both.get(0).getId() == keepId ? both.get(0) : both.get(1);
            PeopleRecord drop = both.get(0).getId() == dropId ? both.get(0) : both.get(1);
            ImportedEntry.keepOnMerge(tx, dropId, keepId);
            Map<String, Integer> moved = new LinkedHashMap<>();
            for (Table<?> table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
                for (ForeignKey<?, ?> fk : table.getReferences()) {
                    if (!fk.getKey().getTable().equals(PEOPLE) || fk.getFields().size() != 1) continue;
                    int n = move(tx, table, fk.getFields().get(0), keepId, dropId);
                    if (n > 0) moved.merge(table.getName(), n, Integer::sum);
                }
            }
            fillBlanks(tx, keep, drop);
            tx.deleteFrom(PEOPLE).where(PEOPLE.ID.eq(dropId)).execute();
            Activities.record(tx, keepId, "person.merged", dropId, Map.of("moved", moved, "by", staff));
            return moved;
        });
    }

    @SuppressWarnings("unchecked")
    private static int move(DSLContext tx, Table<?> table, Field<?> column, long keepId, long dropId) {
        Field<Long> col = (Field<Long>) column;
        if (table.equals(PEOPLE)) {
            // Recruits of the duplicate now count for the kept person (never as their own recruiter).
            tx.update(PEOPLE).setNull(PEOPLE.RECRUITED_BY).where(PEOPLE.ID.eq(keepId)).and(PEOPLE.RECRUITED_BY.eq(dropId)).execute();
            return tx.update(PEOPLE).set(PEOPLE.RECRUITED_BY, keepId).where(PEOPLE.RECRUITED_BY.eq(dropId)).execute();
        }
        Table<?> other = table.as("merge_other");
        List<Condition> clashes = new ArrayList<>();
        for (UniqueKey<?> key : table.getKeys()) {
            if (!key.getFields().contains(column)) continue;
            Condition same = other.field(col).eq(keepId);
            for (Field<?> f : key.getFields()) {
                if (!f.equals(column)) same = same.and(other.field(f).eq((Field) table.field(f)));
            }
            clashes.add(DSL.exists(DSL.selectOne().from(other).where(same)));
        }
        Condition noClash = clashes.isEmpty() ? DSL.trueCondition() : DSL.not(DSL.or(clashes));
        int n = tx.update(table).set(col, keepId).where(col.eq(dropId)).and(noClash).execute();
        // What is left would duplicate a fact the kept person already has.
        tx.deleteFrom(table).where(col.eq(dropId)).execute();
        return n;
    }

    private static void fillBlanks(DSLContext tx, PeopleRecord keep, PeopleRecord drop) {
        Map<String, Object> custom = new LinkedHashMap<>(PeopleDirectory.map(drop.getCustomFields()));
        custom.putAll(PeopleDirectory.map(keep.getCustomFields()));
        if (!drop.getEmail().isBlank()) custom.putIfAbsent("other_email", drop.getEmail());
        tx.update(PEOPLE)
                .set(PEOPLE.GIVEN_NAME, blank(keep.getGivenName(), drop.getGivenName()))
                .set(PEOPLE.FAMILY_NAME, blank(keep.getFamilyName(), drop.getFamilyName()))
                .set(PEOPLE.PHONE, blank(keep.getPhone(), drop.getPhone()))
                .set(PEOPLE.POSTAL_CODE, blank(keep.getPostalCode(), drop.getPostalCode()))
                .set(PEOPLE.SCHOOL, blank(keep.getSchool(), drop.getSchool()))
                .set(PEOPLE.LANGUAGE, keep.getLanguage() != null ? keep.getLanguage() : drop.getLanguage())
                .set(PEOPLE.RECRUITED_BY, recruiter(keep, drop))
                .set(PEOPLE.CUSTOM_FIELDS, PersonEdits.json(custom))
                .set(PEOPLE.CREATED_AT, keep.getCreatedAt().isBefore(drop.getCreatedAt()) ? keep.getCreatedAt() : drop.getCreatedAt())
                .set(PEOPLE.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(PEOPLE.ID.eq(keep.getId()))
                .execute();
    }

    /** The first recruiter stays; neither of the two can be the merged person's own recruiter. */
    private static Long recruiter(PeopleRecord keep, PeopleRecord drop) {
        for (Long r : new Long[] {keep.getRecruitedBy(), drop.getRecruitedBy()}) {
            if (r != null && r != keep.getId() && r != drop.getId()) return r;
        }
        return null;
    }

    private static String blank(String kept, String other) {
        return kept == null || kept.isBlank() ? other : kept;
    }
}
