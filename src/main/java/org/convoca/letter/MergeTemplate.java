package org.convoca.letter;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merge fields of a letter: {@code {{ given_name }}}, {@code {{ family_name }}}, {@code {{ school }}},
 * {@code {{ postal_code }}}, {@code {{ story }}}. Deliberately not a template language: organizers and
 * writers can only name these fields, so a letter can never reach anything else on the server.
 */
public final class MergeTemplate {
    public static final Set<String> FIELDS = Set.of("given_name", "family_name", "school", "postal_code", "story");
    private static final Pattern FIELD = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    private MergeTemplate() {
    }

    /** A message key when the text names an unknown field or has stray template syntax. */
    public static Optional<String> check(String text) {
        if (text == null) return Optional.empty();
        Matcher m = FIELD.matcher(text);
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (m.find()) {
            if (!FIELDS.contains(m.group(1))) return Optional.of("letter.merge.unknown");
            rest.append(text, last, m.start());
            last = m.end();
        }
        rest.append(text.substring(last));
        String r = rest.toString();
        if (r.contains("{{") || r.contains("}}") || r.contains("{%") || r.contains("%}")) {
            return Optional.of("letter.merge.syntax");
        }
        return Optional.empty();
    }

    /** Replaces each field with its value; the values are taken literally, never as template text. */
    public static String render(String text, Map<String, String> values) {
        Matcher m = FIELD.matcher(text == null ? "" : text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.getOrDefault(m.group(1), "");
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A rendered subject is one line, whatever the values held. */
    public static String renderSubject(String text, Map<String, String> values) {
        return render(text, values).replaceAll("\\s+", " ").strip();
    }
}
