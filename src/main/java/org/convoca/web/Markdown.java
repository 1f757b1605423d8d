package org.convoca.web;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * Organizer Markdown to safe HTML: commonmark with raw HTML escaped and URLs sanitised, then the
 * OWASP sanitizer as a second wall, so a campaign description can never carry script.
 */
public final class Markdown {
    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder()
            .escapeHtml(true)
            .sanitizeUrls(true)
            .build();
    private static final PolicyFactory POLICY = Sanitizers.FORMATTING
            .and(Sanitizers.BLOCKS)
            .and(Sanitizers.LINKS)
            .and(Sanitizers.TABLES)
            .and(new HtmlPolicyBuilder()
                    .allowElements("hr", "pre", "code", "br")
                    .allowUrlProtocols("https")
                    .allowElements("img")
                    .allowAttributes("src", "alt", "title").onElements("img")
                    .toFactory());

    private Markdown() {
    }

    public static String toSafeHtml(String markdown) {
        if (markdown == null || markdown.isBlank()) return "";
        return POLICY.sanitize(RENDERER.render(PARSER.parse(markdown)));
    }
}
