package org.convoca.web;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TemplatesCompileTest {
    @Test
    void every_template_compiles() throws IOException {
        Templates templates = new Templates(new Messages(), Optional.of("templates"), true);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("templates"))) {
            files = walk.filter(p -> p.toString().endsWith(".peb")).toList();
        }
        for (Path p : files) {
            String name = Path.of("templates").relativize(p).toString().replace('\\', '/').replaceAll("\\.peb$", "");
            assertThatCode(() -> templates.compile(name)).as(name).doesNotThrowAnyException();
        }
    }

    @Test
    void templates_carry_no_inline_script_or_style() throws IOException {
        try (Stream<Path> walk = Files.walk(Path.of("templates"))) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".peb") && !f.toString().contains("/email/")).toList()) {
                String text = Files.readString(p);
                org.assertj.core.api.Assertions.assertThat(text).as(p.toString())
                        .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
                        .doesNotContainPattern("\\sstyle=")
                        .doesNotContainPattern("<style")
                        .doesNotContainPattern("\\son[a-z]+=");
            }
        }
    }
}
