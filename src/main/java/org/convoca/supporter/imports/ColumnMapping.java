package org.convoca.supporter.imports;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which field each CSV column fills: {@code email}, {@code given_name}, {@code family_name},
 * {@code full_name}, {@code phone}, {@code postal_code}, {@code language}, {@code school},
 * {@code tags}, {@code email_opt_in}, {@code custom} (a custom field named after the header) or
 * {@code ignore}. {@link #auto} recognises the headers of Action Network, Mobilize, Google Forms
 * and hand-made Excel sheets, in English and Spanish.
 */
public record ColumnMapping(List<String> headers, List<String> fields) {
    public static final List<String> FIELDS = List.of("email", "given_name", "family_name", "full_name", "phone",
            "postal_code", "language", "school", "tags", "email_opt_in", "custom", "ignore");

    private static final Map<String, String> ALIASES = new HashMap<>();

    static {
        alias("email", "email", "e mail", "email address", "emails", "email addresses", "correo", "correo electronico",
                "direccion de correo electronico", "direccion de correo", "mail", "email 1", "primary email");
        alias("given_name", "first name", "first", "firstname", "given name", "nombre", "nombres", "primer nombre",
                "nombre de pila", "first name s");
        alias("family_name", "last name", "last", "lastname", "surname", "family name", "apellido", "apellidos");
        alias("full_name", "name", "full name", "your name", "nombre completo", "su nombre", "tu nombre",
                "nombre y apellido", "nombre y apellidos", "parent name", "nombre del padre o madre");
        alias("phone", "phone", "phone number", "mobile", "mobile phone", "cell", "cell phone", "can2 phone",
                "telephone", "telefono", "numero de telefono", "celular", "movil", "numero de celular", "whatsapp", "sms phone");
        alias("postal_code", "zip", "zip code", "zipcode", "zip postal code", "postal code", "postcode", "can2 zip",
                "codigo postal", "cp", "zona postal");
        alias("language", "language", "preferred language", "idioma", "idioma preferido", "lengua", "language preference");
        alias("school", "school", "school name", "escuela", "nombre de la escuela", "colegio", "your school",
                "su escuela", "child s school", "escuela de su hijo", "escuela de sus hijos");
        alias("tags", "tags", "tag", "etiquetas", "etiqueta");
        alias("email_opt_in", "email opt in", "opt in", "email subscribed", "subscribed", "can2 subscription status",
                "acepta correos", "recibir correos", "suscrito");
        alias("ignore", "timestamp", "marca temporal", "created date", "created at", "updated date", "id", "uuid");
    }

    private static void alias(String field, String... names) {
        for (String n : names) ALIASES.put(n, field);
    }

    /** Lowercase, accents removed, punctuation as spaces: "Correo electrónico:" -> "correo electronico". */
    static String normalize(String header) {
        String s = Normalizer.normalize(header == null ? "" : header, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
    }

    public static ColumnMapping auto(List<String> headers) {
        List<String> fields = new ArrayList<>();
        boolean[] taken = new boolean[FIELDS.size()];
        for (String h : headers) {
            String f = ALIASES.getOrDefault(normalize(h), null);
            if (f == null) f = guess(normalize(h));
            int i = FIELDS.indexOf(f);
            // One column per standard field: a second "Email" becomes a custom field, not a clash.
            if (!f.equals("custom") && !f.equals("ignore") && !f.equals("tags")) {
                if (taken[i]) f = "custom";
                else taken[i] = true;
            }
            fields.add(f);
        }
        return new ColumnMapping(List.copyOf(headers), fields);
    }

    /** Long form questions ("What is your email address?") by their key word. */
    private static String guess(String h) {
        if (h.isEmpty()) return "ignore";
        if (h.contains("email") || h.contains("correo")) return "email";
        if (h.contains("phone") || h.contains("telefono") || h.contains("celular")) return "phone";
        if (h.contains("zip") || h.contains("postal")) return "postal_code";
        if (h.contains("school") || h.contains("escuela")) return "school";
        if (h.contains("first name") || h.equals("nombre")) return "given_name";
        if (h.contains("last name") || h.contains("apellido")) return "family_name";
        if (h.contains("language") || h.contains("idioma")) return "language";
        return "custom";
    }

    public boolean hasEmail() {
        return fields.contains("email");
    }

    public int size() {
        return fields.size();
    }

    public String field(int i) {
        return i < fields.size() ? fields.get(i) : "ignore";
    }

    public String header(int i) {
        return i < headers.size() ? headers.get(i).strip() : "";
    }

    public ColumnMapping withFields(List<String> chosen) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            String f = i < chosen.size() ? chosen.get(i) : "ignore";
            out.add(FIELDS.contains(f) ? f : "ignore");
        }
        return new ColumnMapping(headers, out);
    }
}
