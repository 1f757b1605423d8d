package org.convoca.supporter;

import static org.convoca.db.schema.Tables.LIST_MEMBERS;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;
import static org.convoca.db.schema.Tables.TAGS;

import io.javalin.http.Context;
import java.util.Locale;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * A search of the list as the people page and the export read it from the query string:
 * {@code q} (part of a name, email or phone), {@code tag} (a tag name) and {@code list} (a list id).
 * Erased people never match.
 */
public record PeopleSearch(String q, String tag, Long listId) {

    public static PeopleSearch from(Context ctx) {
        return new PeopleSearch(trim(ctx.queryParam("q")), trim(ctx.queryParam("tag")), longOrNull(ctx.queryParam("list")));
    }

    public static PeopleSearch all() {
        return new PeopleSearch("", "", null);
    }

    public Condition condition() {
        Condition c = PEOPLE.ERASED_AT.isNull();
        if (!q.isEmpty()) c = c.and(matches(q));
        if (!tag.isEmpty()) c = c.and(hasTag(tag));
        if (listId != null) c = c.and(DSL.exists(DSL.selectOne().from(LIST_MEMBERS)
                .where(LIST_MEMBERS.LIST_ID.eq(listId)).and(LIST_MEMBERS.PERSON_ID.eq(PEOPLE.ID))));
        return c;
    }

    /** The query string that reproduces this search (for paging and export links). */
    public String queryString() {
        StringBuilder sb = new StringBuilder();
        if (!q.isEmpty()) sb.append("&q=").append(enc(q));
        if (!tag.isEmpty()) sb.append("&tag=").append(enc(tag));
        if (listId != null) sb.append("&list=").append(listId);
        return sb.toString();
    }

    public boolean isEmpty() {
        return q.isEmpty() && tag.isEmpty() && listId == null;
    }

    /**
     * Contains, case-insensitively, over the generated search_text column (name, email, E.164
     * phone), which the trigram index serves. Typed phone numbers are also matched by their digits,
     * so "(213) 555-0123" finds +12135550123.
     */
    static Condition matches(String q) {
        Condition c = PEOPLE.SEARCH_TEXT.contains(q.toLowerCase(Locale.ROOT));
        String digits = q.replaceAll("[^0-9]", "");
        if (digits.length() >= 3 && q.matches("[0-9+()\\-. ]+")) {
            String national = digits.startsWith("1") && digits.length() == 11 ? digits.substring(1) : digits;
            c = c.or(PEOPLE.SEARCH_TEXT.contains(national));
        }
        return c;
    }

    static Condition hasTag(String name) {
        return DSL.exists(DSL.selectOne().from(PERSON_TAGS).join(TAGS).on(TAGS.ID.eq(PERSON_TAGS.TAG_ID))
                .where(PERSON_TAGS.PERSON_ID.eq(PEOPLE.ID)).and(TagRepository.nameKey(TAGS.NAME).eq(TagRepository.key(name))));
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }

    private static Long longOrNull(String s) {
        try {
            return s == null || s.isBlank() ? null : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
