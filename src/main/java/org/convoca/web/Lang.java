package org.convoca.web;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;

/** The two languages Convoca speaks. */
public enum Lang {
    EN, ES;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Locale locale() {
        return Locale.forLanguageTag(code());
    }

    public Lang other() {
        return this == EN ? ES : EN;
    }

    public static Optional<Lang> parse(String value) {
        if (value == null) return Optional.empty();
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("es")) return Optional.of(ES);
        if (v.startsWith("en")) return Optional.of(EN);
        return Optional.empty();
    }

    /**
     * The contract's order: the {@code lang} query parameter, then the supporter's own language
     * (when the page is about one supporter), then {@code Accept-Language}, then the fallback
     * (the organization's default).
     */
    public static Lang resolve(Context ctx, Optional<Lang> supporterLanguage, Lang fallback) {
        Optional<Lang> fromQuery = parse(ctx.queryParam("lang"));
        if (fromQuery.isPresent()) return fromQuery.get();
        if (supporterLanguage.isPresent()) return supporterLanguage.get();
        return fromAcceptLanguage(ctx.header("Accept-Language")).orElse(fallback);
    }

    static Optional<Lang> fromAcceptLanguage(String header) {
        if (header == null || header.isBlank()) return Optional.empty();
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                if (range.getWeight() <= 0) continue;
                Optional<Lang> lang = parse(range.getRange());
                if (lang.isPresent()) return lang;
            }
        } catch (IllegalArgumentException malformed) {
            // A malformed header is treated as absent rather than failing the page.
        }
        return Optional.empty();
    }
}
