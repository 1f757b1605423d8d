package org.convoca.supporter;

import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.convoca.supporter.SegmentFilter.All;
import org.convoca.supporter.SegmentFilter.Any;
import org.convoca.supporter.SegmentFilter.Not;
import org.convoca.web.FieldError;

/**
 * The segment builder as a plain form (works without JavaScript): a name, "match all" or "match
 * any", and rows of {@code type_N}, {@code value_N}, {@code not_N}. A row's value may list several
 * values separated by commas, meaning any of them (postal codes 90011, 90022).
 */
public record SegmentForm(String name, String match, List<Row> rows) {
    public static final List<String> TYPES = List.of("tag", "list", "language", "postal_code", "school", "email_status",
            "joined_before", "joined_after", "recruited_by", "signed_petition", "pledged_event", "attended_event",
            "attended_at_least", "ladder_at_least");

    public record Row(int index, String type, String value, boolean negate) {
        public boolean blank() {
            return value.isBlank();
        }
    }

    /** Resolves what organizers type (a list's name, a recruiter's email or code) to ids, and back. */
    public interface Lookup {
        Optional<Long> listId(String nameOrId);

        Optional<Long> personId(String emailOrCode);

        String listLabel(long id);

        String personLabel(long id);
    }

    public static SegmentForm empty() {
        return new SegmentForm("", "all", List.of(new Row(0, "tag", "", false)));
    }

    public static SegmentForm from(Context ctx) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < SegmentCompiler.MAX_FILTERS; i++) {
            String type = ctx.formParam("type_" + i);
            if (type == null) break;
            String value = ctx.formParam("value_" + i);
            rows.add(new Row(i, type, value == null ? "" : value.strip(), ctx.formParam("not_" + i) != null));
        }
        if (rows.isEmpty()) rows.add(new Row(0, "tag", "", false));
        String match = "any".equals(ctx.formParam("match")) ? "any" : "all";
        String name = ctx.formParam("name");
        return new SegmentForm(name == null ? "" : name.strip(), match, rows);
    }

    public SegmentForm withEmptyRow() {
        List<Row> more = new ArrayList<>(rows);
        if (more.size() < SegmentCompiler.MAX_FILTERS) more.add(new Row(more.size(), "tag", "", false));
        return new SegmentForm(name, match, more);
    }

    /** The filter, with errors on {@code value_N} for rows that cannot be read; blank rows are ignored. */
    public SegmentFilter filter(Lookup lookup, List<FieldError> errors) {
        List<SegmentFilter> parts = new ArrayList<>();
        for (Row r : rows) {
            if (r.blank()) continue;
            List<SegmentFilter> alternatives = new ArrayList<>();
            for (String v : split(r)) {
                SegmentFilter f = leaf(r.type(), v, lookup);
                if (f == null || !SegmentCompiler.validate(f).isEmpty()) {
                    errors.add(new FieldError("value_" + r.index(), "segment.value." + (TYPES.contains(r.type()) ? r.type() : "tag")));
                    alternatives.clear();
                    break;
                }
                alternatives.add(f);
            }
            if (alternatives.isEmpty()) continue;
            SegmentFilter part = alternatives.size() == 1 ? alternatives.get(0) : new Any(alternatives);
            parts.add(r.negate() ? new Not(part) : part);
        }
        return "any".equals(match) ? new Any(parts) : new All(parts);
    }

    public List<FieldError> validateName() {
        if (name.isBlank()) return List.of(new FieldError("name", "field.required"));
        if (name.length() > 200) return List.of(new FieldError("name", "field.too_long"));
        return List.of();
    }

    /** The rows that show a stored definition (the builder only makes this flat shape). */
    public static SegmentForm of(String name, SegmentFilter f, Lookup lookup) {
        List<SegmentFilter> parts = f instanceof All a ? a.filters() : f instanceof Any a ? a.filters() : List.of(f);
        List<Row> rows = new ArrayList<>();
        for (SegmentFilter part : parts) {
            boolean negate = part instanceof Not;
            SegmentFilter inner = part instanceof Not n ? n.filter() : part;
            List<SegmentFilter> leaves = inner instanceof Any a ? a.filters() : List.of(inner);
            if (leaves.isEmpty()) continue;
            String type = typeOf(leaves.get(0));
            List<String> values = leaves.stream().map(l -> valueOf(l, lookup)).toList();
            rows.add(new Row(rows.size(), type, String.join(", ", values), negate));
        }
        if (rows.isEmpty()) rows.add(new Row(0, "tag", "", false));
        return new SegmentForm(name, f instanceof Any ? "any" : "all", rows);
    }

    private static List<String> split(Row r) {
        // Dates and counts are single values; everything else may list alternatives.
        if (r.type().startsWith("joined_") || r.type().equals("attended_at_least") || r.type().equals("ladder_at_least")) {
            return List.of(r.value());
        }
        return Arrays.stream(r.value().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static SegmentFilter leaf(String type, String v, Lookup lookup) {
        return switch (type) {
            case "tag" -> new SegmentFilter.HasTag(v);
            case "list" -> lookup.listId(v).map(id -> (SegmentFilter) new SegmentFilter.OnList(id)).orElse(null);
            case "language" -> org.convoca.web.Lang.parse(v).map(l -> (SegmentFilter) new SegmentFilter.Language(l.code())).orElse(null);
            case "postal_code" -> new SegmentFilter.PostalCode(v);
            case "school" -> new SegmentFilter.School(v);
            case "email_status" -> EmailStatus.parse(v.replace(' ', '_')).map(s -> (SegmentFilter) new SegmentFilter.EmailStatusIs(s.value())).orElse(null);
            case "joined_before" -> date(v, SegmentFilter.JoinedBefore::new);
            case "joined_after" -> date(v, SegmentFilter.JoinedAfter::new);
            case "recruited_by" -> lookup.personId(v).map(id -> (SegmentFilter) new SegmentFilter.RecruitedBy(id)).orElse(null);
            case "signed_petition" -> number(v, id -> new SegmentFilter.SignedPetition(id));
            case "pledged_event" -> number(v, id -> new SegmentFilter.PledgedEvent(id));
            case "attended_event" -> number(v, id -> new SegmentFilter.AttendedEvent(id));
            case "attended_at_least" -> number(v, n -> n > 1000 ? null : new SegmentFilter.AttendedAtLeast(n.intValue()));
            case "ladder_at_least" -> Ladder.parse(v.strip().toLowerCase(java.util.Locale.ROOT))
                    .map(l -> (SegmentFilter) new SegmentFilter.LadderAtLeast(l.value())).orElse(null);
            default -> null;
        };
    }

    private static String typeOf(SegmentFilter f) {
        return switch (f.getClass().getSimpleName()) {
            case "HasTag" -> "tag";
            case "OnList" -> "list";
            case "Language" -> "language";
            case "PostalCode" -> "postal_code";
            case "School" -> "school";
            case "EmailStatusIs" -> "email_status";
            case "JoinedBefore" -> "joined_before";
            case "JoinedAfter" -> "joined_after";
            case "RecruitedBy" -> "recruited_by";
            case "SignedPetition" -> "signed_petition";
            case "PledgedEvent" -> "pledged_event";
            case "AttendedEvent" -> "attended_event";
            case "LadderAtLeast" -> "ladder_at_least";
            default -> "attended_at_least";
        };
    }

    private static String valueOf(SegmentFilter f, Lookup lookup) {
        if (f instanceof SegmentFilter.HasTag t) return t.name();
        if (f instanceof SegmentFilter.OnList l) return lookup.listLabel(l.listId());
        if (f instanceof SegmentFilter.Language l) return l.language();
        if (f instanceof SegmentFilter.PostalCode p) return p.postalCode();
        if (f instanceof SegmentFilter.School s) return s.school();
        if (f instanceof SegmentFilter.EmailStatusIs s) return s.status();
        if (f instanceof SegmentFilter.JoinedBefore j) return j.date().toString();
        if (f instanceof SegmentFilter.JoinedAfter j) return j.date().toString();
        if (f instanceof SegmentFilter.RecruitedBy r) return lookup.personLabel(r.personId());
        if (f instanceof SegmentFilter.SignedPetition s) return String.valueOf(s.petitionId());
        if (f instanceof SegmentFilter.PledgedEvent e) return String.valueOf(e.eventId());
        if (f instanceof SegmentFilter.AttendedEvent e) return String.valueOf(e.eventId());
        if (f instanceof SegmentFilter.AttendedAtLeast n) return String.valueOf(n.count());
        if (f instanceof SegmentFilter.LadderAtLeast l) return l.level();
        return "";
    }

    private static SegmentFilter date(String v, Function<LocalDate, SegmentFilter> make) {
        try {
            return make.apply(LocalDate.parse(v));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static SegmentFilter number(String v, Function<Long, SegmentFilter> make) {
        try {
            long n = Long.parseLong(v);
            return n < 1 ? null : make.apply(n);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
