package org.convoca.supporter;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.OUTREACHES;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Everything Convoca holds about one person: the record, tags, lists, consents, the whole timeline,
 * and what they gave other features (signature comments, pledge details, letters they wrote).
 */
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
        List<Map<String, Object>> activity = new java.util.ArrayList<>(dsl.selectFrom(ACTIVITIES).where(ACTIVITIES.PERSON_ID.eq(p.id()))
                .orderBy(ACTIVITIES.OCCURRED_AT.desc(), ACTIVITIES.ID.desc())
                .fetch(a -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("kind", a.getKind());
                    m.put("subject_id", a.getSubjectId());
                    m.put("details", PeopleDirectory.map(a.getDetails()));
                    m.put("date", a.getOccurredAt());
                    return m;
                }));
        // Entries shown though not stored: sent emails (from the deliveries) and the import that created the person.
        SentEmailEntries.of(dsl, p.id(), Integer.MAX_VALUE).forEach(e -> activity.add(entry(e)));
        ImportedEntry.of(dsl, p.id()).ifPresent(e -> {
            boolean stored = activity.stream().anyMatch(a -> e.kind().equals(a.get("kind")) && e.subjectId().equals(a.get("subject_id")));
            if (!stored) activity.add(entry(e));
        });
        activity.sort(java.util.Comparator.comparing(a -> (java.time.OffsetDateTime) a.get("date"), java.util.Comparator.reverseOrder()));
        out.put("activities", activity);
        out.put("signatures", dsl.selectFrom(SIGNATURES).where(SIGNATURES.PERSON_ID.eq(p.id())).orderBy(SIGNATURES.ID)
                .fetch(r -> row("petition_id", r.getPetitionId(), "status", r.getStatus(), "comments", r.getComments(),
                        "school", r.getSchool(), "public_display", r.getPublicDisplay(), "date", r.getCreatedAt())));
        out.put("pledges", dsl.selectFrom(ATTENDANCES).where(ATTENDANCES.PERSON_ID.eq(p.id())).orderBy(ATTENDANCES.ID)
                .fetch(r -> row("event_id", r.getEventId(), "status", r.getStatus(), "guests", r.getGuests(),
                        "childcare_children", r.getChildcareChildren(), "interpretation_language", r.getInterpretationLanguage(),
                        "transport", r.getTransport(), "food", r.getFood(), "access_needs", r.getAccessNeeds(),
                        "attended", r.getAttended(), "date", r.getCreatedAt())));
        out.put("letters", dsl.selectFrom(OUTREACHES).where(OUTREACHES.PERSON_ID.eq(p.id())).orderBy(OUTREACHES.ID)
                .fetch(r -> row("letter_action_id", r.getAdvocacyCampaignId(), "status", r.getStatus(),
                        "subject", r.getSubject(), "body", r.getBody(), "story", r.getStory(), "school", r.getSchool(),
                        "date", r.getCreatedAt())));
        return out;
    }

    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    private static Map<String, Object> entry(Activity e) {
        return row("kind", e.kind(), "subject_id", e.subjectId(), "details", e.details(), "date", e.occurredAt());
    }
}
