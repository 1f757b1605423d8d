package org.convoca.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.convoca.web.Lang;
import org.convoca.web.Messages;
import org.convoca.web.Templates;
import org.junit.jupiter.api.Test;

class EventTemplatesTest {
    static final List<String> PREFIXES = List.of("event.", "leader.", "report.", "ladder.", "email.event_");

    @Test
    void every_events_template_compiles() throws IOException {
        Templates templates = new Templates(new Messages(), Optional.empty(), true);
        try (Stream<Path> files = Stream.concat(Files.list(Path.of("templates/event")),
                Files.list(Path.of("templates/email")).filter(p -> p.getFileName().toString().startsWith("event_")))) {
            List<String> names = files.map(p -> Path.of("templates").relativize(p).toString().replace(".peb", "")).toList();
            assertThat(names).isNotEmpty();
            names.forEach(templates::compile);
        }
    }

    @Test
    void every_events_message_exists_in_english_and_spanish() {
        Messages messages = new Messages();
        Set<String> en = messages.keys(Lang.EN);
        Set<String> es = messages.keys(Lang.ES);
        assertThat(en.stream().filter(k -> PREFIXES.stream().anyMatch(k::startsWith)).filter(k -> !es.contains(k))).isEmpty();
        assertThat(es.stream().filter(k -> PREFIXES.stream().anyMatch(k::startsWith)).filter(k -> !en.contains(k))).isEmpty();
    }

    @Test
    void messages_without_arguments_have_no_doubled_apostrophes() {
        Messages messages = new Messages();
        for (Lang lang : Lang.values()) {
            messages.keys(lang).stream().filter(k -> PREFIXES.stream().anyMatch(k::startsWith))
                    .filter(k -> !messages.get(lang, k).contains("{0"))
                    .forEach(k -> assertThat(messages.get(lang, k)).as(k).doesNotContain("''"));
        }
    }
}
