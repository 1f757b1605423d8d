package org.convoca.web;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.loader.Loader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pebble over {@code templates/}: from a directory with the cache off when {@code TEMPLATES_DIR}
 * is set (edits show on refresh), else from the classpath (inside the jar). Autoescaping stays on;
 * the only safe-marked output is sanitised Markdown.
 */
public final class Templates {
    private final PebbleEngine engine;
    /** For plain-text templates ({@code *.text}, email text parts): HTML escaping would put
     * {@code &quot;} and {@code &#39;} into a reader's plain-text email, and line breaks matter. */
    private final PebbleEngine plainEngine;
    private final Messages messages;

    public Templates(Messages messages, Optional<String> templatesDir, boolean strict) {
        this.messages = messages;
        Loader<?> loader;
        if (templatesDir.isPresent()) {
            FileLoader fl = new FileLoader(java.nio.file.Path.of(templatesDir.get()).toAbsolutePath().toString());
            fl.setSuffix(".peb");
            loader = fl;
        } else {
            ClasspathLoader cl = new ClasspathLoader(Templates.class.getClassLoader());
            cl.setPrefix("templates/");
            cl.setSuffix(".peb");
            loader = cl;
        }
        this.engine = engine(loader, true, strict, templatesDir.isEmpty());
        this.plainEngine = engine(loader, false, strict, templatesDir.isEmpty());
    }

    private PebbleEngine engine(Loader<?> loader, boolean escape, boolean strict, boolean cache) {
        return new PebbleEngine.Builder()
                .loader(loader)
                .autoEscaping(escape)
                // Pebble drops the line break after every tag by default; in HTML that is harmless,
                // in a plain-text email it ran "…is counted.Every signature…" and "WhatsApp: <link>
                // Facebook: <link>" together on one line.
                .newLineTrimming(escape)
                .strictVariables(strict)
                .cacheActive(cache)
                .extension(new ConvocaExtension(messages))
                .build();
    }

    private PebbleEngine engineFor(String name) {
        return name.endsWith(".text") ? plainEngine : engine;
    }

    public String render(String name, Map<String, Object> model, Lang lang) {
        try {
            StringWriter out = new StringWriter();
            engineFor(name).getTemplate(name).evaluate(out, model, lang.locale());
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles a template without rendering it (the test that compiles every template). */
    public void compile(String name) {
        engineFor(name).getTemplate(name);
    }

    public Messages messages() {
        return messages;
    }

    /** {@code t("key", args…)} for messages; {@code markdown} for sanitised organizer Markdown. */
    private static final class ConvocaExtension extends AbstractExtension {
        private final Messages messages;

        ConvocaExtension(Messages messages) {
            this.messages = messages;
        }

        @Override
        public Map<String, Function> getFunctions() {
            return Map.of("t", new Function() {
                @Override
                public List<String> getArgumentNames() {
                    return null;  // positional: "0" is the key, the rest are MessageFormat arguments
                }

                @Override
                public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext ctx, int line) {
                    Lang lang = Lang.parse(ctx.getLocale().getLanguage()).orElse(Lang.EN);
                    Object[] rest = new Object[args.size() - 1];
                    for (int i = 1; i < args.size(); i++) {
                        rest[i - 1] = args.get(String.valueOf(i));
                    }
                    return messages.get(lang, String.valueOf(args.get("0")), rest);
                }
            });
        }

        @Override
        public Map<String, Filter> getFilters() {
            return Map.of("markdown", new Filter() {
                @Override
                public List<String> getArgumentNames() {
                    return List.of();
                }

                @Override
                public Object apply(Object input, Map<String, Object> args, PebbleTemplate self,
                                    EvaluationContext ctx, int line) {
                    return new SafeString(Markdown.toSafeHtml(input == null ? "" : input.toString()));
                }
            });
        }
    }
}
