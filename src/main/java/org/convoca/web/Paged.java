package org.convoca.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** One page of a collection, and the OSDI collection envelope the API returns for it. */
public record Paged<T>(List<T> items, int total, int page, int perPage) {
    public static final int MAX_PER_PAGE = 100;

    public int totalPages() {
        return total == 0 ? 0 : (total + perPage - 1) / perPage;
    }

    public boolean hasNext() {
        return page < totalPages();
    }

    public boolean hasPrevious() {
        return page > 1;
    }

    /** {@code page} and {@code per_page} from the query, validated: a 400 problem when they are not numbers in range. */
    public static int[] params(Context ctx, int defaultPerPage) {
        return new int[] {param(ctx, "page", 1, Integer.MAX_VALUE / MAX_PER_PAGE, 1),
                param(ctx, "per_page", defaultPerPage, MAX_PER_PAGE, 1)};
    }

    private static int param(Context ctx, String name, int fallback, int max, int min) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return fallback;
        try {
            int v = Integer.parseInt(raw.strip());
            if (v < min || v > max) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            if (Access.isApi(ctx)) {
                throw new Problem(400, "Bad Request", name + " must be a whole number from " + min + " to " + max,
                        List.of(new Problem.Error(name, "must be a whole number from " + min + " to " + max)));
            }
            return fallback;
        }
    }

    /** {@code {"total_records", "total_pages", "page", "per_page", "_embedded": {"osdi:NAME": [...]}}}. */
    public Map<String, Object> osdi(String resource, Function<T, ?> toJson) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total_records", total);
        out.put("total_pages", totalPages());
        out.put("page", page);
        out.put("per_page", perPage);
        out.put("_embedded", Map.of("osdi:" + resource, items.stream().map(toJson).toList()));
        return out;
    }
}
