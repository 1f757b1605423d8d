package org.convoca.supporter;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.LIST_MEMBERS;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.convoca.supporter.SegmentFilter.All;
import org.convoca.supporter.SegmentFilter.Any;
import org.convoca.supporter.SegmentFilter.AttendedAtLeast;
import org.convoca.supporter.SegmentFilter.AttendedEvent;
import org.convoca.supporter.SegmentFilter.EmailStatusIs;
import org.convoca.supporter.SegmentFilter.HasTag;
import org.convoca.supporter.SegmentFilter.JoinedAfter;
import org.convoca.supporter.SegmentFilter.JoinedBefore;
import org.convoca.supporter.SegmentFilter.Language;
import org.convoca.supporter.SegmentFilter.Not;
import org.convoca.supporter.SegmentFilter.OnList;
import org.convoca.supporter.SegmentFilter.PledgedEvent;
import org.convoca.supporter.SegmentFilter.PostalCode;
import org.convoca.supporter.SegmentFilter.RecruitedBy;
import org.convoca.supporter.SegmentFilter.School;
import org.convoca.supporter.SegmentFilter.SignedPetition;
import org.convoca.web.FieldError;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * Compiles a segment to a jOOQ condition over {@code people}. Activity filters read the timeline
 * ({@code petition.signed}, {@code event.pledged}, {@code event.attended} with the petition or
 * event as subject), so they work for every feature that records activity.
 */
public final class SegmentCompiler {
    public static final int MAX_FILTERS = 50;
    public static final int MAX_DEPTH = 4;

    private SegmentCompiler() {
    }

    /** The people the segment matches; erased people never match. */
    public static Condition compile(SegmentFilter filter) {
        return PEOPLE.ERASED_AT.isNull().and(condition(filter));
    }

    static Condition condition(SegmentFilter f) {
        return condition(f, false);
    }

    /**
     * {@code narrowed}: other filters in the same AND already pick out few people, so "attended
     * at least N" is checked per remaining person (an index probe each) rather than by grouping
     * the whole attendance history.
     */
    static Condition condition(SegmentFilter f, boolean narrowed) {
        if (f instanceof All a) {
            boolean narrows = a.filters().stream().anyMatch(c -> !(c instanceof AttendedAtLeast));
            return DSL.and(a.filters().stream().map(c -> condition(c, narrows)).toList());
        }
        if (f instanceof Any a) return a.filters().isEmpty() ? DSL.falseCondition()
                : DSL.or(a.filters().stream().map(SegmentCompiler::condition).toList());
        if (f instanceof Not n) return DSL.not(condition(n.filter()));
        if (f instanceof HasTag t) return PeopleSearch.hasTag(t.name());
        if (f instanceof OnList l) return DSL.exists(DSL.selectOne().from(LIST_MEMBERS)
                .where(LIST_MEMBERS.LIST_ID.eq(l.listId())).and(LIST_MEMBERS.PERSON_ID.eq(PEOPLE.ID)));
        if (f instanceof Language l) return PEOPLE.LANGUAGE.eq(l.language());
        if (f instanceof PostalCode p) return PEOPLE.POSTAL_CODE.eq(p.postalCode().strip());
        // Matches the lower(school) index.
        if (f instanceof School s) return DSL.lower(PEOPLE.SCHOOL).eq(s.school().strip().toLowerCase(Locale.ROOT));
        if (f instanceof EmailStatusIs s) return PEOPLE.EMAIL_STATUS.eq(s.status());
        if (f instanceof JoinedBefore j) return PEOPLE.CREATED_AT.lt(j.date().atStartOfDay().atOffset(ZoneOffset.UTC));
        if (f instanceof JoinedAfter j) return PEOPLE.CREATED_AT.ge(j.date().atStartOfDay().atOffset(ZoneOffset.UTC));
        if (f instanceof RecruitedBy r) return PEOPLE.RECRUITED_BY.eq(r.personId());
        if (f instanceof SignedPetition s) return did("petition.signed", s.petitionId());
        if (f instanceof PledgedEvent e) return did("event.pledged", e.eventId());
        if (f instanceof AttendedEvent e) return did("event.attended", e.eventId());
        if (f instanceof AttendedAtLeast n && narrowed) {
            return DSL.field(DSL.select(DSL.countDistinct(ACTIVITIES.SUBJECT_ID)).from(ACTIVITIES)
                    .where(ACTIVITIES.KIND.eq("event.attended")).and(ACTIVITIES.PERSON_ID.eq(PEOPLE.ID)))
                    .ge(n.count());
        }
        if (f instanceof AttendedAtLeast n) {
            // Distinct (person, event) pairs first, so a double check-in counts once: read in the
            // order of the (kind, person_id, subject_id) index, that is a streaming Unique and a
            // streaming group, with no sort or hash of the whole attendance history.
            var pairs = DSL.selectDistinct(ACTIVITIES.PERSON_ID, ACTIVITIES.SUBJECT_ID).from(ACTIVITIES)
                    .where(ACTIVITIES.KIND.eq("event.attended")).asTable("attended");
            var person = pairs.field(ACTIVITIES.PERSON_ID);
            return PEOPLE.ID.in(DSL.select(person).from(pairs).groupBy(person).having(DSL.count().ge(n.count())));
        }
        if (f instanceof SegmentFilter.LadderAtLeast l) return Ladder.parse(l.level()).orElseThrow().atLeast();
        throw new IllegalArgumentException("Unknown segment filter " + f.getClass().getSimpleName());
    }

    private static Condition did(String kind, long subjectId) {
        return DSL.exists(DSL.selectOne().from(ACTIVITIES).where(ACTIVITIES.KIND.eq(kind))
                .and(ACTIVITIES.PERSON_ID.eq(PEOPLE.ID)).and(ACTIVITIES.SUBJECT_ID.eq(subjectId)));
    }

    /** Problems with a definition (from the API or a stored row), as field errors on {@code definition}. */
    public static List<FieldError> validate(SegmentFilter f) {
        List<FieldError> errors = new ArrayList<>();
        int[] count = {0};
        check(f, 1, count, errors);
        if (count[0] > MAX_FILTERS) errors.add(new FieldError("definition", "segment.too_many"));
        return errors;
    }

    private static void check(SegmentFilter f, int depth, int[] count, List<FieldError> errors) {
        count[0]++;
        if (f == null) {
            errors.add(new FieldError("definition", "segment.invalid"));
            return;
        }
        if (depth > MAX_DEPTH) {
            errors.add(new FieldError("definition", "segment.too_deep"));
            return;
        }
        if (f instanceof All a) children(a.filters(), depth, count, errors);
        else if (f instanceof Any a) children(a.filters(), depth, count, errors);
        else if (f instanceof Not n) check(n.filter(), depth + 1, count, errors);
        else if (f instanceof HasTag t) require(TagRepository.validName(t.name()), errors);
        else if (f instanceof Language l) require("en".equals(l.language()) || "es".equals(l.language()), errors);
        else if (f instanceof PostalCode p) require(p.postalCode() != null && !p.postalCode().isBlank() && p.postalCode().length() <= 12, errors);
        else if (f instanceof School s) require(s.school() != null && !s.school().isBlank() && s.school().length() <= 200, errors);
        else if (f instanceof EmailStatusIs s) require(EmailStatus.parse(s.status()).isPresent(), errors);
        else if (f instanceof JoinedBefore j) require(j.date() != null, errors);
        else if (f instanceof JoinedAfter j) require(j.date() != null, errors);
        else if (f instanceof AttendedAtLeast n) require(n.count() >= 1 && n.count() <= 1000, errors);
        else if (f instanceof SegmentFilter.LadderAtLeast l) require(Ladder.parse(l.level()).isPresent(), errors);
    }

    private static void children(List<SegmentFilter> filters, int depth, int[] count, List<FieldError> errors) {
        if (filters == null) {
            errors.add(new FieldError("definition", "segment.invalid"));
            return;
        }
        for (SegmentFilter c : filters) check(c, depth + 1, count, errors);
    }

    private static void require(boolean ok, List<FieldError> errors) {
        if (!ok) errors.add(new FieldError("definition", "segment.invalid"));
    }
}
