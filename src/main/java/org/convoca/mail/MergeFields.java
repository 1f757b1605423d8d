package org.convoca.mail;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.loader.StringLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Organizer-written merge fields ({@code {{ given_name | default("amiga/amigo") }}}) in a
 * sandboxed Pebble: the template sees only a map of strings about one person, and no method of
 * any Java object may be called (the access validator refuses every method). Strict variables:
 * an unknown field is an error when the message is saved, not when it is sent.
 */
public final class MergeFields {
    /** Every field a message may use. */
    public static final List<String> FIELDS = List.of("given_name", "family_name", "email", "postal_code",
            "language", "referral_url", "unsubscribe_url");

    private final PebbleEngine html;
    private final PebbleEngine text;

    public MergeFields() {
        this.html = engine(true);
        this.text = engine(false);
    }

    private static PebbleEngine engine(boolean escape) {
        return new PebbleEngine.Builder()
                .loader(new StringLoader())
                .autoEscaping(escape)
                .strictVariables(true)
                .newLineTrimming(false)
                .methodAccessValidator((object, method) -> false)
                .cacheActive(true)
                .build();
    }

    /** A sample person with every field, for checking a template and for previews. */
    public static Map<String, Object> sample() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : FIELDS) m.put(f, "x");
        return m;
    }

    /** Null when the template compiles and uses only known fields, else a short reason. */
    public String problem(String template) {
        if (template == null || template.isEmpty()) return null;
        try {
            render(template, sample(), true);
            String unknown = unknownDefaulted(template);
            return unknown == null ? null : "Unknown field: " + unknown;
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return msg.length() > 200 ? msg.substring(0, 200) : msg;
        }
    }

    /** Markdown with values HTML-escaped (for the HTML part), or raw (for text and subjects). */
    public String render(String template, Map<String, Object> person, boolean escapeHtml) {
        if (template == null || template.isEmpty()) return "";
        try {
            PebbleTemplate t = (escapeHtml ? html : text).getTemplate(template);
            StringWriter out = new StringWriter(template.length() + 64);
            t.evaluate(out, person, Locale.ROOT);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PebbleException e) {
            throw new IllegalArgumentException(e.getPebbleMessage() + " (line " + e.getLineNumber() + ")", e);
        }
    }

    /**
     * Pebble's default filter swallows an undefined variable even in strict mode, so a misspelt
     * {@code {{ nmae | default("x") }}} would pass the render check; names inside {{ }} are
     * therefore also checked against the known fields.
     */
    private static String unknownDefaulted(String template) {
        var m = java.util.regex.Pattern.compile("\\{\\{-?\\s*([A-Za-z_][A-Za-z0-9_]*)").matcher(template);
        Set<String> known = Set.copyOf(FIELDS);
        while (m.find()) {
            if (!known.contains(m.group(1))) return m.group(1);
        }
        return null;
    }
}
