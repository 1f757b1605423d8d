package org.convoca.supporter;

import static org.convoca.db.schema.Tables.LISTS;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.SEGMENTS;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.convoca.auth.Emails;
import org.convoca.db.schema.tables.records.SegmentsRecord;
import org.convoca.web.Json;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/** Saved segments, and the lookups the builder form needs. */
public final class SegmentRepository implements SegmentForm.Lookup {
    private final DSLContext dsl;

    public SegmentRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public List<Segment> all() {
        return dsl.selectFrom(SEGMENTS).orderBy(DSL.lower(SEGMENTS.NAME)).fetch(SegmentRepository::toSegment);
    }

    public Optional<Segment> find(long id) {
        return dsl.selectFrom(SEGMENTS).where(SEGMENTS.ID.eq(id)).fetchOptional(SegmentRepository::toSegment);
    }

    /** The people a saved segment matches now, for audiences (email blasts) and exports. */
    public Optional<Condition> condition(long segmentId) {
        return find(segmentId).map(s -> SegmentCompiler.compile(s.definition()));
    }

    public long create(String name, SegmentFilter definition) {
        return dsl.insertInto(SEGMENTS).set(SEGMENTS.NAME, name).set(SEGMENTS.DEFINITION, json(definition))
                .returningResult(SEGMENTS.ID).fetchSingle().value1();
    }

    public void update(long id, String name, SegmentFilter definition) {
        dsl.update(SEGMENTS).set(SEGMENTS.NAME, name).set(SEGMENTS.DEFINITION, json(definition))
                .set(SEGMENTS.UPDATED_AT, DSL.currentOffsetDateTime()).where(SEGMENTS.ID.eq(id)).execute();
    }

    public boolean delete(long id) {
        return dsl.deleteFrom(SEGMENTS).where(SEGMENTS.ID.eq(id)).execute() > 0;
    }

    public int count(SegmentFilter f) {
        return dsl.fetchCount(PEOPLE, SegmentCompiler.compile(f));
    }

    @Override
    public Optional<Long> listId(String nameOrId) {
        if (nameOrId.matches("\\d{1,18}")) {
            return dsl.select(LISTS.ID).from(LISTS).where(LISTS.ID.eq(Long.parseLong(nameOrId))).fetchOptional(LISTS.ID);
        }
        List<Long> ids = dsl.select(LISTS.ID).from(LISTS).where(DSL.lower(LISTS.NAME).eq(nameOrId.toLowerCase(Locale.ROOT)))
                .fetch(LISTS.ID);
        return ids.size() == 1 ? Optional.of(ids.get(0)) : Optional.empty();
    }

    @Override
    public Optional<Long> personId(String emailOrCode) {
        if (emailOrCode.contains("@")) return PersonRepository.idByEmail(dsl, Emails.normalize(emailOrCode));
        return Optional.ofNullable(PersonRepository.referrerId(dsl, emailOrCode));
    }

    @Override
    public String listLabel(long id) {
        return dsl.select(LISTS.NAME).from(LISTS).where(LISTS.ID.eq(id)).fetchOptional(LISTS.NAME).orElse(String.valueOf(id));
    }

    @Override
    public String personLabel(long id) {
        return dsl.select(PEOPLE.EMAIL, PEOPLE.REFERRAL_CODE).from(PEOPLE).where(PEOPLE.ID.eq(id))
                .fetchOptional(r -> r.value1().isEmpty() ? r.value2() : r.value1()).orElse("");
    }

    static SegmentFilter parse(JSONB json) {
        try {
            return Json.MAPPER.readValue(json.data(), SegmentFilter.class);
        } catch (JsonProcessingException e) {
            // A definition this version cannot read matches no one rather than everyone.
            return new SegmentFilter.Any(List.of());
        }
    }

    static JSONB json(SegmentFilter f) {
        try {
            return JSONB.valueOf(Json.MAPPER.writeValueAsString(f));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Segment toSegment(SegmentsRecord r) {
        return new Segment(r.getId(), r.getName(), parse(r.getDefinition()), r.getCreatedAt(), r.getUpdatedAt());
    }
}
