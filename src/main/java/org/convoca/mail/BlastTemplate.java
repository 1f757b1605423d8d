package org.convoca.mail;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * Markers and fill-in for a blast rendered once per language: the merge fields, the unsubscribe
 * and open-pixel links and each tracked link are rendered as markers (letters and digits only,
 * so Markdown, the sanitizer and the escaper leave them as they are), and each person's email is
 * the finished text with the markers replaced by that person's values, escaped for where they land.
 *
 * <p>That is only the same email as rendering per person when a value cannot change the
 * template's structure. {@link #simple} admits a template whose merge tags are all
 * {@code {{ field }}} or {@code {{ field | default("…") }}} and that has no other Pebble tags;
 * the caller also keeps the per-person path when a marker lands inside an HTML tag. One
 * difference is deliberate: a value is printed as written, so a name such as {@code *Lee*} is
 * never read as Markdown emphasis (per person, it would have been).
 */
final class BlastTemplate {
    private static final Pattern TAG = Pattern.compile("\\{\\{-?\\s*[a-z_]+\\s*(\\|\\s*default\\(\\s*\"[^\"{}]*\"\\s*\\)\\s*)?-?}}");

    /** Where a value goes: HTML text or attribute (escaped), the plain text part, or a one-line subject. */
    enum Mode { HTML, TEXT, SUBJECT }

    /** One person's values: merge fields (null when absent), the signed links of their delivery. */
    record Values(String[] fields, String unsubscribeUrl, String pixelUrl, LongFunction<String> clickUrl) {
    }

    /**
     * A rendered text cut at its markers: literal, slot, literal, …, literal; each literal also
     * quoted-printable encoded once ({@link #writeQuotedPrintable}).
     */
    record Compiled(String[] literals, char[] kinds, long[] args, int length, QuotedPrintable.Piece[] pieces) {
    }

    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+");
    private final String marker;

    BlastTemplate() {
        SecureRandom random = new SecureRandom();
        StringBuilder nonce = new StringBuilder("zq");
        for (int i = 0; i < 10; i++) nonce.append((char) ('a' + random.nextInt(26)));
        this.marker = nonce.toString();
    }

    /** True when every Pebble tag of the template is a plain field with at most a literal default. */
    static boolean simple(String template) {
        if (template == null || template.isEmpty()) return true;
        if (template.contains("{%") || template.contains("{#")) return false;
        String rest = TAG.matcher(template).replaceAll("");
        return !rest.contains("{{") && !rest.contains("}}");
    }

    String field(int index) {
        return marker + "f" + index + "zq";
    }

    String unsubscribe() {
        return marker + "u" + "zq";
    }

    String pixel() {
        return marker + "o" + "zq";
    }

    String click(long linkId) {
        return marker + "c" + linkId + "zq";
    }

    boolean occursIn(String s) {
        return s != null && s.contains(marker);
    }

    /** True when a marker sits inside an HTML tag, where a value would need another escaping. */
    boolean insideTag(String html) {
        for (int at = html.indexOf(marker); at >= 0; at = html.indexOf(marker, at + 1)) {
            if (html.lastIndexOf('<', at) > html.lastIndexOf('>', at)) return true;
        }
        return false;
    }

    Compiled compile(String rendered) {
        List<String> literals = new ArrayList<>();
        StringBuilder kinds = new StringBuilder();
        List<Long> args = new ArrayList<>();
        int from = 0;
        for (int at = rendered.indexOf(marker); at >= 0; at = rendered.indexOf(marker, from)) {
            int codeStart = at + marker.length();
            int end = rendered.indexOf("zq", codeStart);
            literals.add(rendered.substring(from, at));
            char kind = rendered.charAt(codeStart);
            kinds.append(kind);
            args.add(end > codeStart + 1 ? Long.parseLong(rendered.substring(codeStart + 1, end)) : 0L);
            from = end + 2;
        }
        literals.add(rendered.substring(from));
        long[] a = new long[args.size()];
        for (int i = 0; i < a.length; i++) a[i] = args.get(i);
        QuotedPrintable.Piece[] pieces = new QuotedPrintable.Piece[literals.size()];
        for (int i = 0; i < pieces.length; i++) pieces[i] = QuotedPrintable.piece(literals.get(i), i == pieces.length - 1);
        return new Compiled(literals.toArray(String[]::new), kinds.toString().toCharArray(), a, rendered.length(), pieces);
    }

    static String fill(Compiled c, Values v, Mode mode) {
        StringBuilder out = new StringBuilder(c.length() + 64 * c.kinds().length);
        Map<Long, String> clicks = new HashMap<>();
        for (int i = 0; i < c.kinds().length; i++) {
            out.append(c.literals()[i]);
            append(out, value(c, i, v, clicks), mode);
        }
        out.append(c.literals()[c.literals().length - 1]);
        return out.toString();
    }

    /**
     * Writes {@link #fill}'s text as quoted-printable: the literals' encoding as prepared, and
     * only the values encoded per email (each followed by a soft line break).
     */
    static void writeQuotedPrintable(Compiled c, Values v, Mode mode, ByteArrayOutputStream out) {
        Map<Long, String> clicks = new HashMap<>();
        QuotedPrintable.Piece[] pieces = c.pieces();
        StringBuilder escaped = new StringBuilder(64);
        for (int i = 0; i < c.kinds().length; i++) {
            out.writeBytes(pieces[i].bytes());
            escaped.setLength(0);
            append(escaped, value(c, i, v, clicks), mode);
            QuotedPrintable.value(escaped.toString(), pieces[i].endColumn(), out);
        }
        out.writeBytes(pieces[pieces.length - 1].bytes());
    }

    private static String value(Compiled c, int i, Values v, Map<Long, String> clicks) {
        String value = switch (c.kinds()[i]) {
            case 'f' -> v.fields()[(int) c.args()[i]];
            case 'u' -> v.unsubscribeUrl();
            case 'o' -> v.pixelUrl();
            case 'c' -> clicks.computeIfAbsent(c.args()[i], v.clickUrl()::apply);
            default -> throw new IllegalStateException("unknown marker " + c.kinds()[i]);
        };
        return value == null ? "" : value;
    }

    private static void append(StringBuilder out, String value, Mode mode) {
        switch (mode) {
            case TEXT -> out.append(value);
            case SUBJECT -> out.append(value.indexOf('\r') < 0 && value.indexOf('\n') < 0 ? value
                    : LINE_BREAKS.matcher(value).replaceAll(" "));
            case HTML -> {
                for (int i = 0; i < value.length(); i++) {
                    char ch = value.charAt(i);
                    switch (ch) {
                        case '&' -> out.append("&amp;");
                        case '<' -> out.append("&lt;");
                        case '>' -> out.append("&gt;");
                        case '"' -> out.append("&quot;");
                        case '\'' -> out.append("&#39;");
                        default -> out.append(ch);
                    }
                }
            }
        }
    }
}
