package org.convoca.petition;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A per-day bar chart drawn on the server as SVG geometry (the template writes the elements), so
 * it needs no JavaScript and prints. Bars are scaled to the busiest day.
 */
public record DayChart(List<Bar> bars, int total, int max, int width, int height) {
    public record Bar(String day, String label, int count, int x, int y, int barWidth, int barHeight) {
    }

    static final int WIDTH = 600;
    static final int HEIGHT = 160;
    static final int AXIS = 20;

    public static DayChart of(Map<LocalDate, Integer> perDay) {
        int max = Math.max(1, perDay.values().stream().mapToInt(Integer::intValue).max().orElse(1));
        int total = perDay.values().stream().mapToInt(Integer::intValue).sum();
        int n = Math.max(1, perDay.size());
        int slot = WIDTH / n;
        List<Bar> bars = new ArrayList<>();
        int i = 0;
        for (var e : perDay.entrySet()) {
            int h = (int) Math.round((HEIGHT - AXIS) * (e.getValue() / (double) max));
            String label = (i % 5 == 0 || i == n - 1) ? e.getKey().getMonthValue() + "/" + e.getKey().getDayOfMonth() : "";
            bars.add(new Bar(e.getKey().toString(), label, e.getValue(), i * slot + 1, HEIGHT - AXIS - h,
                    Math.max(1, slot - 2), h));
            i++;
        }
        return new DayChart(bars, total, max, WIDTH, HEIGHT);
    }

    public int axisY() {
        return HEIGHT - AXIS;
    }
}
