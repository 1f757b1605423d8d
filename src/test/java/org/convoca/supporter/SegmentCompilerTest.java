package org.convoca.supporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.convoca.supporter.SegmentFilter.All;
import org.convoca.supporter.SegmentFilter.Any;
import org.convoca.supporter.SegmentFilter.AttendedAtLeast;
import org.convoca.supporter.SegmentFilter.AttendedEvent;
import org.convoca.supporter.SegmentFilter.HasTag;
import org.convoca.supporter.SegmentFilter.Not;
import org.convoca.supporter.SegmentFilter.PostalCode;
import org.convoca.supporter.SegmentFilter.SignedPetition;
import org.convoca.web.FieldError;
import org.convoca.web.Json;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** Segment compilation without a database: the SQL shape, JSON round trips and validation. */
class SegmentCompilerTest {
    static String sql(SegmentFilter f) {
        return DSL.using(SQLDialect.POSTGRES, new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER))
                .renderInlined(SegmentCompiler.compile(f));
    }

    @Test
    void all_becomes_and_any_becomes_or_and_erased_people_never_match() {
        String s = sql(new All(List.of(new HasTag("Parent College"),
                new Any(List.of(new PostalCode("90011"), new PostalCode("90022"))))));
        assertThat(s).startsWith("(people.erased_at is null");
        assertThat(s).contains("lower(trim(tags.name)) = 'parent college'");
        assertThat(s).contains("people.postal_code = '90011' or people.postal_code = '90022'");
        assertThat(s).contains(" and ");
    }

    @Test
    void an_empty_any_matches_no_one_and_an_empty_all_matches_everyone() {
        assertThat(sql(new Any(List.of()))).contains("false");
        assertThat(sql(new All(List.of()))).isEqualTo("(people.erased_at is null and true)");
    }

    @Test
    void activity_filters_read_the_timeline_by_kind_and_subject() {
        assertThat(sql(new SignedPetition(12))).contains("activities.kind = 'petition.signed'")
                .contains("activities.subject_id = 12").contains("exists");
    }

    @Test
    void attended_at_least_reads_the_per_person_counter_alone_or_next_to_other_filters() {
        assertThat(sql(new AttendedAtLeast(3))).isEqualTo("(people.erased_at is null and people.events_attended >= 3)");
        assertThat(sql(new All(List.of(new HasTag("Leader"), new AttendedAtLeast(2))))).contains("people.events_attended >= 2")
                .doesNotContain("event.attended");
    }

    @Test
    void activity_filters_in_an_or_become_one_semi_join_on_the_timeline() {
        String s = sql(new Any(List.of(new SignedPetition(3), new HasTag("Leader"), new AttendedEvent(5))));
        assertThat(s).contains("people.id in (select activities.person_id from activities where "
                + "(activities.kind = 'event.attended' and activities.subject_id in (5)) union all "
                + "select activities.person_id from activities where "
                + "(activities.kind = 'petition.signed' and activities.subject_id in (3)))");
        assertThat(s).contains("lower(trim(tags.name)) = 'leader'");
        assertThat(s.split("from activities", -1)).as("one branch per kind").hasSize(3);
        assertThat(sql(new Any(List.of(new SignedPetition(3), new SignedPetition(4)))))
                .contains("activities.kind = 'petition.signed' and activities.subject_id in (3, 4)").doesNotContain("union");
    }

    @Test
    void not_negates_its_filter() {
        assertThat(sql(new Not(new HasTag("Volunteer")))).contains("and not exists (select");
    }

    @Test
    void a_definition_survives_a_json_round_trip() throws Exception {
        SegmentFilter f = new All(List.of(new HasTag("A"), new Not(new SegmentFilter.JoinedAfter(LocalDate.of(2026, 9, 1))),
                new Any(List.of(new SegmentFilter.OnList(4), new SegmentFilter.RecruitedBy(9)))));
        String json = Json.MAPPER.writeValueAsString(f);
        assertThat(json).contains("\"type\":\"all\"", "\"type\":\"joined_after\"", "\"date\":\"2026-09-01\"", "\"list_id\":4");
        assertThat(Json.MAPPER.readValue(json, SegmentFilter.class)).isEqualTo(f);
    }

    @Test
    void invalid_values_and_oversized_trees_are_refused() {
        assertThat(SegmentCompiler.validate(new HasTag(" "))).isNotEmpty();
        assertThat(SegmentCompiler.validate(new AttendedAtLeast(0))).isNotEmpty();
        assertThat(SegmentCompiler.validate(new SegmentFilter.EmailStatusIs("maybe"))).isNotEmpty();
        SegmentFilter deep = new HasTag("x");
        for (int i = 0; i < 5; i++) deep = new Not(deep);
        assertThat(SegmentCompiler.validate(deep)).extracting(FieldError::key).contains("segment.too_deep");
        List<SegmentFilter> many = new ArrayList<>();
        for (int i = 0; i < 60; i++) many.add(new HasTag("t" + i));
        assertThat(SegmentCompiler.validate(new All(many))).extracting(FieldError::key).contains("segment.too_many");
        assertThat(SegmentCompiler.validate(new All(List.of(new HasTag("ok"), new AttendedAtLeast(2))))).isEmpty();
    }

    @Test
    void the_builder_form_reads_comma_separated_values_as_any_and_rebuilds_the_same_rows() {
        SegmentForm.Lookup lookup = new SegmentForm.Lookup() {
            public Optional<Long> listId(String nameOrId) {
                return nameOrId.equals("Garfield") ? Optional.of(4L) : Optional.empty();
            }

            public Optional<Long> personId(String emailOrCode) {
                return Optional.empty();
            }

            public String listLabel(long id) {
                return "Garfield";
            }

            public String personLabel(long id) {
                return "";
            }
        };
        SegmentForm form = new SegmentForm("Eastside", "all", List.of(
                new SegmentForm.Row(0, "postal_code", "90011, 90022", false),
                new SegmentForm.Row(1, "list", "Garfield", true),
                new SegmentForm.Row(2, "tag", "", false),
                new SegmentForm.Row(3, "recruited_by", "nobody@example.org", false)));
        List<FieldError> errors = new ArrayList<>();
        SegmentFilter f = form.filter(lookup, errors);
        assertThat(errors).extracting(FieldError::field).containsExactly("value_3");
        assertThat(f).isEqualTo(new All(List.of(new Any(List.of(new PostalCode("90011"), new PostalCode("90022"))),
                new Not(new SegmentFilter.OnList(4)))));
        SegmentForm back = SegmentForm.of("Eastside", f, lookup);
        assertThat(back.rows()).extracting(SegmentForm.Row::value).containsExactly("90011, 90022", "Garfield");
        assertThat(back.rows().get(1).negate()).isTrue();
    }
}
