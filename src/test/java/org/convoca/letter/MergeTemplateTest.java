package org.convoca.letter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergeTemplateTest {
    static final Map<String, String> VALUES = Map.of("given_name", "Marta", "family_name", "Pérez",
            "school", "Garfield High", "postal_code", "90033", "story", "Line one\nLine two");

    @Test
    void known_fields_are_filled_with_or_without_spaces_inside_the_braces() {
        assertThat(MergeTemplate.render("I am {{given_name}} {{ family_name }} from {{  school  }}.", VALUES))
                .isEqualTo("I am Marta Pérez from Garfield High.");
    }

    @Test
    void an_unknown_field_or_template_syntax_is_an_error() {
        assertThat(MergeTemplate.check("Dear {{ target_name }}")).contains("letter.merge.unknown");
        assertThat(MergeTemplate.check("{% for x in y %}")).contains("letter.merge.syntax");
        assertThat(MergeTemplate.check("Hello {{ given_name")).contains("letter.merge.syntax");
        assertThat(MergeTemplate.check("{{ given_name.class }}")).contains("letter.merge.syntax");
        assertThat(MergeTemplate.check("Plain text, {{ story }}")).isEmpty();
    }

    @Test
    void values_are_taken_literally_never_as_template_text_or_replacement_syntax() {
        Map<String, String> sneaky = Map.of("given_name", "{{ story }} $1 \\", "story", "SECRET");
        assertThat(MergeTemplate.render("Hi {{ given_name }}", sneaky)).isEqualTo("Hi {{ story }} $1 \\");
    }

    @Test
    void a_rendered_subject_is_one_line() {
        assertThat(MergeTemplate.renderSubject("About {{ story }}", VALUES)).isEqualTo("About Line one Line two");
    }

    @Test
    void schools_match_whatever_the_case_and_spacing_and_the_fallback_answers_when_nothing_matches() {
        Target garfield = new Target(1, "Ana", "Ruiz", "", "", "a@x.org", "", List.of("Garfield  High"), List.of("90033"), null, null, null);
        Target other = new Target(2, "Luis", "Mora", "", "", "l@x.org", "", List.of("Venice High"), List.of(), null, null, null);
        Target fallback = new Target(3, "Sue", "Perintendent", "", "", "s@x.org", "", List.of(), List.of(), null, null, null);
        LetterAction a = new LetterAction(9, 1, "", "", "", "", "", "", "", "", true, Targeting.BY_SCHOOL_OR_POSTAL_CODE,
                List.of(1L, 2L), List.of(3L), LetterStatus.OPEN, 0, null, null);
        List<Target> all = List.of(garfield, other, fallback);

        assertThat(Recipients.resolve(a, all, "garfield high", "")).containsExactly(garfield);
        assertThat(Recipients.resolve(a, all, "", " 90033 ")).containsExactly(garfield);
        assertThat(Recipients.resolve(a, all, "Unknown", "10001")).containsExactly(fallback);
        assertThat(Recipients.schools(a, all)).containsExactly("Garfield  High", "Venice High");
    }
}
