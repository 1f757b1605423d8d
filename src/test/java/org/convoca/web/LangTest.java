package org.convoca.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LangTest {
    @Test
    void accept_language_picks_the_first_language_we_speak() {
        assertThat(Lang.fromAcceptLanguage("es-MX,es;q=0.9,en;q=0.8")).contains(Lang.ES);
        assertThat(Lang.fromAcceptLanguage("fr-FR,fr;q=0.9,es;q=0.5")).contains(Lang.ES);
        assertThat(Lang.fromAcceptLanguage("de")).isEmpty();
        assertThat(Lang.fromAcceptLanguage("!!garbage;;")).isEmpty();
        assertThat(Lang.fromAcceptLanguage(null)).isEmpty();
    }

    @Test
    void only_en_and_es_parse() {
        assertThat(Lang.parse("ES")).contains(Lang.ES);
        assertThat(Lang.parse("en-US")).contains(Lang.EN);
        assertThat(Lang.parse("fr")).isEqualTo(Optional.empty());
    }
}
