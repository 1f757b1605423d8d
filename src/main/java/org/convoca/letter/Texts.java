package org.convoca.letter;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Small text helpers shared by the letter feature's forms. */
final class Texts {
    /** CR, LF and other control characters: never allowed where text may reach an email header. */
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private Texts() {
    }

    /** Free text (a story, a letter): line breaks and tabs stay, other control characters go. */
    static String multiline(String s) {
        return s == null ? "" : s.replace("\r\n", "\n").replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "");
    }

    static String key(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    static boolean hasControl(String s) {
        return s != null && CONTROL.matcher(s).find();
    }

    /** Lines or semicolon-separated items, trimmed, empty ones dropped, duplicates removed. */
    static List<String> items(String text) {
        if (text == null) return List.of();
        return List.copyOf(new LinkedHashSet<>(Arrays.stream(text.split("\\R|;"))
                .map(x -> x.strip().replaceAll("\\s+", " ")).filter(x -> !x.isEmpty()).toList()));
    }
}
