package org.convoca.supporter.imports;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.convoca.auth.Emails;
import org.convoca.supporter.Phones;

/** One CSV row read through the mapping and checked: a person to merge, or the reason it cannot be. */
public record ImportRow(int rowNumber, String email, String givenName, String familyName, String phone,
                        String postalCode, String language, String school, Map<String, String> customFields,
                        boolean optIn, Set<String> tags, String error) {

    public boolean ok() {
        return error == null;
    }

    static ImportRow error(int row, String message) {
        return new ImportRow(row, "", "", "", "", "", null, "", Map.of(), false, Set.of(), message);
    }

    public static ImportRow read(int row, List<String> cells, ColumnMapping mapping, String region, String importTag) {
        String email = "";
        String given = "";
        String family = "";
        String phone = "";
        String postal = "";
        String language = null;
        String school = "";
        boolean optIn = false;
        Map<String, String> custom = new LinkedHashMap<>();
        Set<String> tags = new LinkedHashSet<>();
        if (importTag != null && !importTag.isBlank()) tags.add(importTag.strip());
        for (int i = 0; i < cells.size(); i++) {
            String v = clean(cells.get(i));
            if (v.isEmpty()) continue;
            switch (mapping.field(i)) {
                case "email" -> email = v;
                case "given_name" -> given = v;
                case "family_name" -> family = v;
                case "full_name" -> {
                    int space = v.indexOf(' ');
                    if (given.isEmpty()) given = space < 0 ? v : v.substring(0, space);
                    if (family.isEmpty() && space > 0) family = v.substring(space + 1).strip();
                }
                case "phone" -> phone = v;
                case "postal_code" -> postal = v;
                case "language" -> language = language(v);
                case "school" -> school = v;
                case "tags" -> {
                    for (String t : v.split("[,;]")) if (!t.isBlank() && t.strip().length() <= 100) tags.add(t.strip());
                }
                case "email_opt_in" -> optIn = truthy(v);
                case "custom" -> {
                    String key = mapping.header(i);
                    if (!key.isEmpty() && key.length() <= 60) custom.put(key, v.length() > 500 ? v.substring(0, 500) : v);
                }
                default -> { }
            }
        }
        if (email.isEmpty()) return error(row, "The email address is missing");
        if (!Emails.isValid(email)) return error(row, "The email address is not valid");
        String e164 = "";
        if (!phone.isEmpty()) {
            e164 = Phones.normalize(phone, region).orElse(null);
            if (e164 == null) return error(row, "The phone number is not valid");
        }
        if (postal.length() > 12) return error(row, "The postal code is longer than 12 characters");
        if (given.length() > 100 || family.length() > 100) return error(row, "The name is longer than 100 characters");
        if (school.length() > 200) return error(row, "The school is longer than 200 characters");
        return new ImportRow(row, email, given, family, e164, postal, language, school, custom, optIn, tags, null);
    }

    public String emailNormalized() {
        return Emails.normalize(email);
    }

    /** Control characters never reach the database (names end up in email headers). */
    static String clean(String s) {
        if (s == null) return "";
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) return s.replaceAll("\\p{Cntrl}", " ").strip();
        }
        return s.strip();
    }

    static String language(String v) {
        String s = ColumnMapping.normalize(v);
        if (s.startsWith("es") || s.startsWith("span") || s.startsWith("espa") || s.equals("spa")) return "es";
        if (s.startsWith("en") || s.startsWith("ing") || s.equals("eng")) return "en";
        return null;
    }

    static boolean truthy(String v) {
        String s = ColumnMapping.normalize(v).toLowerCase(Locale.ROOT);
        return switch (s) {
            case "yes", "y", "si", "s", "true", "1", "x", "subscribed", "checked", "on", "suscrito" -> true;
            default -> false;
        };
    }
}
