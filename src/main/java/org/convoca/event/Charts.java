package org.convoca.event;

import java.util.List;

/**
 * Small server-rendered SVG bar charts (no JavaScript, CSP-safe: classes, no inline styles).
 * Labels are escaped here because the SVG is marked safe in the template.
 */
final class Charts {
    /** One group of bars: a label, the pledged and attended counts, and an optional goal line. */
    record Bar(String label, int pledged, int attended, Integer goal) {
    }

    private Charts() {
    }

    static String pledgedVsAttended(List<Bar> bars, String title, String pledgedLabel, String attendedLabel) {
        // Sized for a phone: a 360-unit viewBox shows text at about its nominal size on a 360 px screen.
        int rowH = 34;
        int labelW = 110;
        int width = 360;
        int chartW = width - labelW - 40;
        int height = 30 + bars.size() * rowH;
        int max = 1;
        for (Bar b : bars) max = Math.max(max, Math.max(b.pledged(), Math.max(b.attended(), b.goal() == null ? 0 : b.goal())));
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\"><title>").append(esc(title)).append("</title>");
        s.append("<rect class=\"bar-pledged\" x=\"").append(labelW).append("\" y=\"4\" width=\"12\" height=\"12\"/>")
                .append("<text x=\"").append(labelW + 16).append("\" y=\"15\">").append(esc(pledgedLabel)).append("</text>");
        s.append("<rect class=\"bar-attended\" x=\"").append(labelW + 120).append("\" y=\"4\" width=\"12\" height=\"12\"/>")
                .append("<text x=\"").append(labelW + 136).append("\" y=\"15\">").append(esc(attendedLabel)).append("</text>");
        int y = 26;
        for (Bar b : bars) {
            int pw = b.pledged() * chartW / max;
            int aw = b.attended() * chartW / max;
            s.append("<text x=\"0\" y=\"").append(y + 18).append("\">").append(esc(shorten(b.label()))).append("</text>");
            s.append("<rect class=\"bar-pledged\" x=\"").append(labelW).append("\" y=\"").append(y + 2)
                    .append("\" width=\"").append(pw).append("\" height=\"13\"><title>").append(b.pledged()).append("</title></rect>");
            s.append("<rect class=\"bar-attended\" x=\"").append(labelW).append("\" y=\"").append(y + 16)
                    .append("\" width=\"").append(aw).append("\" height=\"13\"><title>").append(b.attended()).append("</title></rect>");
            s.append("<text x=\"").append(labelW + Math.max(pw, aw) + 4).append("\" y=\"").append(y + 20).append("\">")
                    .append(b.attended()).append('/').append(b.pledged()).append("</text>");
            if (b.goal() != null && b.goal() > 0) {
                int gx = labelW + b.goal() * chartW / max;
                s.append("<line class=\"bar-goal\" x1=\"").append(gx).append("\" x2=\"").append(gx).append("\" y1=\"")
                        .append(y).append("\" y2=\"").append(y + 31).append("\"/>");
            }
            y += rowH;
        }
        return s.append("</svg>").toString();
    }

    /** A funnel: one bar per step, widths relative to the first. */
    static String funnel(List<String> labels, List<Integer> values, String title) {
        int width = 360;
        int rowH = 30;
        int max = Math.max(1, values.stream().mapToInt(Integer::intValue).max().orElse(1));
        StringBuilder s = new StringBuilder("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(width).append(' ')
                .append(values.size() * rowH + 4).append("\" xmlns=\"http://www.w3.org/2000/svg\"><title>")
                .append(esc(title)).append("</title>");
        for (int i = 0; i < values.size(); i++) {
            int w = values.get(i) * (width - 160) / max;
            int y = i * rowH + 2;
            s.append("<text x=\"0\" y=\"").append(y + 18).append("\">").append(esc(labels.get(i))).append("</text>")
                    .append("<rect class=\"bar-attended\" x=\"120\" y=\"").append(y + 4).append("\" width=\"").append(w)
                    .append("\" height=\"20\"/>")
                    .append("<text x=\"").append(124 + w).append("\" y=\"").append(y + 18).append("\">").append(values.get(i))
                    .append("</text>");
        }
        return s.append("</svg>").toString();
    }

    private static String shorten(String s) {
        return s.length() > 16 ? s.substring(0, 15) + "…" : s;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
