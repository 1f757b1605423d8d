package org.convoca.supporter;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.CONSENTS;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/** Everything the list holds about one person: the record, tags, lists, consents and the whole timeline. */
public final class PersonExport {
    private final DSLContext dsl;
    private final PeopleDirectory directory;
    private final ListRepository lists;

    public PersonExport(DSLContext dsl, PeopleDirectory directory, ListRepository lists) {
        this.dsl = dsl;
        this.directory = directory;
        this.lists = lists;
    }

    public Map<String, Object> of(Person p) {
        Map<String, Object> out = new LinkedHashMap<>(PersonJson.of(p));
        out.put("school", p.school());
        out.put("source", p.source());
        out.put("recruited_by", p.recruitedBy() == null ? null : "convoca:" + p.recruitedBy());
        out.put("erased_date", p.erasedAt());
        out.put("lists", lists.of(p.id()).stream().map(l -> Map.of("id", l.id(), "name", l.name())).toList());
        out.put("consents", dsl.selectFrom(CONSENTS).where(CONSENTS.PERSON_ID.eq(p.id())).orderBy(CONSENTS.CREATED_AT)
                .fetch(c -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("channel", c.getChannel());
                    m.put("granted", c.getGranted());
                    m.put("method", c.getMethod());
                    m.put("source", c.getSource());
                    m.put("date", c.getCreatedAt());
                    return m;
                }));
        List<Map<String, Object>> activity = dsl.selectFrom(ACTIVITIES).where(ACTIVITIES.PERSON_ID.eq(p.id()))
                .orderBy(ACTIVITIES.OCCURRED_AT.desc(), ACTIVITIES.ID.desc())
                .fetch(a -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("kind", a.getKind());
                    m.put("subject_id", a.getSubjectId());
                    m.put("details", PeopleDirectory.map(a.getDetails()));
                    m.put("date", a.getOccurredAt());
                    return m;
                });
        out.put("activities", activity);
        return out;
    }
}
