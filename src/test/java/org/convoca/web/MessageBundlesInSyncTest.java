package org.convoca.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MessageBundlesInSyncTest {
    final Messages messages = new Messages();

    @Test
    void english_and_spanish_have_the_same_keys() {
        Set<String> missingInSpanish = new TreeSet<>(messages.keys(Lang.EN));
        missingInSpanish.removeAll(messages.keys(Lang.ES));
        Set<String> missingInEnglish = new TreeSet<>(messages.keys(Lang.ES));
        missingInEnglish.removeAll(messages.keys(Lang.EN));
        assertThat(missingInSpanish).as("keys missing in messages_es").isEmpty();
        assertThat(missingInEnglish).as("keys missing in messages_en").isEmpty();
    }

    @Test
    void every_literal_key_a_template_uses_exists() throws IOException {
        Pattern literal = Pattern.compile("(?<![A-Za-z0-9_])t\\(\\s*[\"']([a-z0-9_.]+)[\"']");
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("templates"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".peb")).toList()) {
                Matcher m = literal.matcher(Files.readString(p));
                while (m.find()) {
                    if (m.group(1).endsWith(".")) continue;  // a prefix completed at runtime
                    if (!messages.has(Lang.EN, m.group(1))) missing.add(p + ": " + m.group(1));
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void messages_with_arguments_format_in_both_languages() {
        for (Lang lang : Lang.values()) {
            for (String key : messages.keys(lang)) {
                assertThat(messages.get(lang, key, "x", "y", "z")).as(lang + " " + key).isNotBlank();
            }
        }
    }
}
