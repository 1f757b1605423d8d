package org.convoca.supporter;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.LIST_MEMBERS;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.impl.DSL;

/**
 * Compiles a segment to a jOOQ condition over {@code people}. Activity filters read the timeline
 * ({@code petition.signed}, {@code event.pledged}, {@code event.attended} with the petition or
 * event as subject), so they work for every feature that records activity; "attended at least N"
 * reads the per-person counter that V070's trigger keeps from that same timeline.
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
        if (f instanceof All a) return DSL.and(a.filters().stream().map(SegmentCompiler::condition).toList());
        if (f instanceof Any a) return any(a.filters());
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
        if (isActivity(f)) return DSL.exists(DSL.selectOne().from(ACTIVITIES).where(ACTIVITIES.KIND.eq(kind(f)))
                .and(ACTIVITIES.PERSON_ID.eq(PEOPLE.ID)).and(ACTIVITIES.SUBJECT_ID.eq(subject(f))));
        // The counter kept by V070's trigger: distinct events on the person's timeline. The count is
        // inlined (a validated int) so the planner can match the partial index "events_attended > 0".
        if (f instanceof AttendedAtLeast n) return PEOPLE.EVENTS_ATTENDED.ge(DSL.inline(n.count()));
        if (f instanceof SegmentFilter.LadderAtLeast l) return Ladder.parse(l.level()).orElseThrow().atLeast();
        throw new IllegalArgumentException("Unknown segment filter " + f.getClass().getSimpleName());
    }

    /**
     * OR. The activity filters among the children become one semi-join: {@code people.id in (select
     * person_id from activities where kind = 'petition.signed' and subject_id in (3) union all …)},
     * one branch per kind. Each branch is an index-only scan of one range of
     * activities_kind_subject_person_idx; an OR of correlated EXISTS, or one OR-ed WHERE, made
     * PostgreSQL fetch every matching timeline row from the heap (V071 has the numbers).
     */
    private static Condition any(List<SegmentFilter> filters) {
        if (filters.isEmpty()) return DSL.falseCondition();
        Map<String, List<Long>> subjects = new TreeMap<>();
        List<Condition> others = new ArrayList<>();
        for (SegmentFilter c : filters) {
            if (isActivity(c)) subjects.computeIfAbsent(kind(c), k -> new ArrayList<>()).add(subject(c));
            else others.add(condition(c));
        }
        Select<Record1<Long>> people = null;
        for (var e : subjects.entrySet()) {
            var branch = DSL.select(ACTIVITIES.PERSON_ID).from(ACTIVITIES)
                    .where(ACTIVITIES.KIND.eq(e.getKey())).and(ACTIVITIES.SUBJECT_ID.in(e.getValue()));
            people = people == null ? branch : people.unionAll(branch);
        }
        if (people != null) others.add(PEOPLE.ID.in(people));
        return DSL.or(others);
    }

    /** Filters answered by one (kind, subject) of the timeline. */
    private static boolean isActivity(SegmentFilter f) {
        return f instanceof SignedPetition || f instanceof PledgedEvent || f instanceof AttendedEvent;
    }

    private static String kind(SegmentFilter f) {
        if (f instanceof SignedPetition) return "petition.signed";
        if (f instanceof PledgedEvent) return "event.pledged";
        if (f instanceof AttendedEvent) return "event.attended";
        throw new IllegalArgumentException("Not an activity filter " + f.getClass().getSimpleName());
    }

    private static long subject(SegmentFilter f) {
        if (f instanceof SignedPetition s) return s.petitionId();
        if (f instanceof PledgedEvent e) return e.eventId();
        if (f instanceof AttendedEvent e) return e.eventId();
        throw new IllegalArgumentException("Not an activity filter " + f.getClass().getSimpleName());
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
