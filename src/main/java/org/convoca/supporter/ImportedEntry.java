package org.convoca.supporter;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.IMPORTS;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convoca.web.Json;
import org.jooq.DSLContext;
import org.jooq.JSONB;

/**
 * The "imported from a file" entry of a person an import created. An import writes no timeline row
 * for the people it creates (a million rows, four indexes and a foreign-key check each, for a fact
 * the person row already holds): their people.source is {@code import:N}, created_at is when, and
 * the import names the file and tag. The timeline and the personal-data export show the entry as if
 * it were stored; a merge that drops such a person stores it on the person kept.
 */
public final class ImportedEntry {
    static final String KIND = "person.imported";
    private static final String PREFIX = "import:";

    private ImportedEntry() {
    }

    /** The entry, when the person was created by an import. */
    public static Optional<Activity> of(DSLContext dsl, long personId) {
        var person = dsl.select(PEOPLE.SOURCE, PEOPLE.CREATED_AT).from(PEOPLE).where(PEOPLE.ID.eq(personId)).fetchOptional();
        if (person.isEmpty()) return Optional.empty();
        Long importId = importId(person.get().value1());
        if (importId == null) return Optional.empty();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("import", importId);
        details.put("created", true);
        dsl.select(IMPORTS.TAG, IMPORTS.FILENAME).from(IMPORTS).where(IMPORTS.ID.eq(importId)).fetchOptional().ifPresent(r -> {
            if (r.value1() != null) details.put("tag", r.value1());
            if (!r.value2().isBlank()) details.put("file", r.value2());
        });
        return Optional.of(new Activity(0, KIND, importId, details, person.get().value2()));
    }

    /**
     * The stored entries (newest first, at most {@code limit}) with the person's import entry in its
     * place, unless a stored row already records that import (imports before this one wrote it).
     */
    static List<Activity> with(List<Activity> stored, Optional<Activity> entry, int limit) {
        if (entry.isEmpty() || stored.stream().anyMatch(a -> a.kind().equals(KIND) && entry.get().subjectId().equals(a.subjectId()))) {
            return stored;
        }
        List<Activity> all = new ArrayList<>(stored);
        all.add(entry.get());
        all.sort(Comparator.comparing(Activity::occurredAt).reversed());
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    /** Before {@code dropId} is merged away: its import entry becomes a stored row of {@code keepId}. */
    static void keepOnMerge(DSLContext tx, long dropId, long keepId) {
        of(tx, dropId).ifPresent(e -> {
            boolean stored = tx.fetchExists(ACTIVITIES, ACTIVITIES.PERSON_ID.eq(dropId)
                    .and(ACTIVITIES.KIND.eq(KIND)).and(ACTIVITIES.SUBJECT_ID.eq(e.subjectId())));
            if (stored) return;  // moves over with the rest of the duplicate's timeline
            try {
                tx.insertInto(ACTIVITIES).set(ACTIVITIES.PERSON_ID, keepId).set(ACTIVITIES.KIND, KIND)
                        .set(ACTIVITIES.SUBJECT_ID, e.subjectId())
                        .set(ACTIVITIES.DETAILS, JSONB.valueOf(Json.MAPPER.writeValueAsString(e.details())))
                        .set(ACTIVITIES.OCCURRED_AT, e.occurredAt()).execute();
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new IllegalArgumentException(ex);
            }
        });
    }

    private static Long importId(String source) {
        if (source == null || !source.startsWith(PREFIX)) return null;
        try {
            return Long.parseLong(source.substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
