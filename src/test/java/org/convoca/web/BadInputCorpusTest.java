package org.convoca.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Posts a corpus of hostile input to every registered form and API route (found by enumerating the
 * route table, so new features are covered without editing this test): script and event-handler
 * XSS, SQL metacharacters, CR/LF header injection, spreadsheet formulas, a 1 MB field, invalid
 * UTF-8, wrong content types, malformed JSON. No answer may be a 5xx, and no script may come back
 * unescaped.
 */
class BadInputCorpusTest {
    static final String XSS = "<script>alert('xss')</script>";
    static final String XSS_ATTR = "\"><img src=x onerror=alert(1)>";
    static final List<String> CORPUS = List.of(
            XSS, XSS_ATTR, "' OR 1=1; DROP TABLE people; --", "Ana\r\nBcc: victim@example.org",
            "=HYPERLINK(\"http://evil.example\",\"click\")", "+cmd|' /C calc'!A0", "@SUM(1+1)",
            "Ñandú 😀 \u202e\u0000", "a".repeat(1_000_000), "", "-1", "99999999999999999999", "2026-02-30");
    static final List<String> FIELDS = List.of("given_name", "family_name", "email", "postal_code", "phone", "language",
            "comments", "email_opt_in", "ref", "title", "title_es", "summary", "summary_es", "description", "description_es",
            "slug", "targets", "status", "start_date", "end_date", "image_url", "name", "postal_address", "sender_email",
            "sender_name", "default_language", "password", "password_confirm", "token", "next", "subject", "body",
            "school", "story", "capacity", "location", "time_zone", "guests", "q", "tag", "tags", "list", "role");

    static TestApp app;
    static Http admin;
    static String adminToken;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        admin = app.signedIn("admin");
        adminToken = app.apiKey(app.createUser("corpus-" + System.nanoTime() + "@example.org", "admin"));
        app.http().json("POST", "/api/v1/campaigns", adminToken, "{\"title\": \"Corpus\", \"status\": \"live\"}");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static List<ParsedEndpoint> routes(String... methods) {
        List<String> wanted = List.of(methods);
        return app.app.javalin().unsafe.internalRouter.allHttpHandlers().stream()
                .filter(e -> wanted.contains(e.endpoint.method.name()))
                .filter(e -> !e.endpoint.path.equals("/logout"))
                .toList();
    }

    static boolean isPublic(ParsedEndpoint e) {
        return ((Role) e.endpoint.metadata(Roles.class).getRoles().iterator().next()).isPublic();
    }

    static List<String> paths(ParsedEndpoint e) {
        String p = e.endpoint.path;
        if (!p.contains("{")) return List.of(p);
        return List.of(p.replaceAll("\\{[^}]+}", "1"), p.replaceAll("\\{[^}]+}", "abc%3Cscript%3E"),
                p.replaceAll("\\{[^}]+}", "99999999999999999999"));
    }

    /** Sends, turning a dropped connection into a failure line that names the route. */
    static void check(List<String> failures, String what, java.util.function.Supplier<Http.Response> send) {
        try {
            check(failures, what, send.get());
        } catch (java.io.UncheckedIOException e) {
            // A server may close after answering without reading an upload it refused (a CSV body to a
            // route that does not take one); for form and JSON bodies it reads first, so that is a failure.
            if (!what.contains("[huge csv]")) failures.add(what + " → connection dropped: " + e.getMessage());
        }
    }

    static void check(List<String> failures, String what, Http.Response r) {
        if (r.status() >= 500) failures.add(what + " → " + r.status());
        // Script in a JSON answer is data (served as application/json with nosniff); in HTML it would run.
        boolean html = r.header("Content-Type") != null && r.header("Content-Type").startsWith("text/html");
        if (html && r.body() != null && (r.body().contains(XSS) || r.body().contains("<img src=x onerror"))) {
            failures.add(what + " → reflected unescaped");
        }
        if (r.header("Content-Security-Policy") == null || !"nosniff".equals(r.header("X-Content-Type-Options"))
                || r.header("Referrer-Policy") == null) {
            failures.add(what + " → missing security headers");
        }
        String type = r.header("Content-Type");
        if (r.body() != null && !r.body().isEmpty() && type != null && !type.toLowerCase().contains("charset")
                && !type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
            failures.add(what + " → Content-Type without charset: " + type);
        }
    }

    @Test
    void hostile_form_input_never_causes_a_server_error_or_unescaped_reflection() {
        List<String> failures = new ArrayList<>();
        for (ParsedEndpoint e : routes("POST", "PUT", "PATCH", "DELETE")) {
            if (e.endpoint.path.startsWith("/api/")) continue;
            List<String> variants = paths(e);
            for (String path : variants) {
                // The whole corpus on the first id; the odd ids (text, overflow) get one hostile form.
                for (String value : path.equals(variants.get(0)) ? CORPUS : List.of(XSS)) {
                    Map<String, String> form = new LinkedHashMap<>();
                    for (String f : FIELDS) form.put(f, value);
                    if (value.length() > 1000) {
                        // 1 MB in a handful of fields keeps the request under the 10 MB body limit.
                        for (String f : FIELDS) form.put(f, "x");
                        for (String f : List.of("title", "description", "comments", "given_name", "body", "name")) form.put(f, value);
                    }
                    form.put("email", value.length() > 1000 ? value : "corpus+" + Math.abs(value.hashCode()) + "@example.org");
                    Http client = isPublic(e) ? app.http() : admin;
                    if (isPublic(e)) client.page("/login");
                    check(failures, e.endpoint.method + " " + path + " [" + abbreviate(value) + "]", () -> client.post(path, form));
                    if (value.equals(XSS)) {
                        Map<String, String> onlyXss = new LinkedHashMap<>(form);
                        onlyXss.put("email", XSS);
                        check(failures, e.endpoint.method + " " + path + " [xss email]", client.post(path, onlyXss));
                    }
                }
                byte[] invalidUtf8 = "title=%FF%FE%C3%28&email=%ED%A0%80@example.org&given_name=\u00ff".getBytes(StandardCharsets.ISO_8859_1);
                Http client = isPublic(e) ? app.http() : admin;
                check(failures, e.endpoint.method + " " + path + " [invalid UTF-8]",
                        client.raw(e.endpoint.method.name(), path, "application/x-www-form-urlencoded", invalidUtf8,
                                "X-CSRF-Token", client.csrf() == null ? "" : client.csrf()));
                check(failures, e.endpoint.method + " " + path + " [json to a form]",
                        client.raw(e.endpoint.method.name(), path, "application/json", "{\"title\": 1}".getBytes(StandardCharsets.UTF_8),
                                "X-CSRF-Token", client.csrf() == null ? "" : client.csrf()));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void hostile_api_bodies_get_problem_details_never_a_server_error() {
        List<String> bodies = new ArrayList<>(List.of("{}", "[]", "\"text\"", "null", "{bad json", "{\"a\":" .repeat(2000),
                "{\"title\": 123, \"person\": \"x\", \"target\": \"y\", \"capacity\": \"many\", \"status\": {}, \"email_addresses\": 5}",
                "{\"person\": {\"email_addresses\": [{\"address\": \"" + XSS + "\"}], \"given_name\": [1,2]}}",
                "{\"title\": \"" + "x".repeat(1_000_000) + "\"}"));
        for (String v : CORPUS.subList(0, 8)) {
            Map<String, Object> every = new LinkedHashMap<>();
            for (String f : FIELDS) every.put(f, v);
            every.put("person", Map.of("given_name", v, "email_addresses", List.of(Map.of("address", "x" + Math.abs(v.hashCode()) + "@example.org"))));
            try {
                bodies.add(Json.MAPPER.writeValueAsString(every));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
        List<String> failures = new ArrayList<>();
        for (ParsedEndpoint e : routes("POST", "PUT", "PATCH", "DELETE")) {
            if (!e.endpoint.path.startsWith("/api/")) continue;
            List<String> variants = paths(e);
            for (String path : variants) {
                for (String body : path.equals(variants.get(0)) ? bodies : bodies.subList(0, 2)) {
                    check(failures, e.endpoint.method + " " + path + " [" + abbreviate(body) + "]", () -> app.http().raw(
                            e.endpoint.method.name(), path, "application/json", body.getBytes(StandardCharsets.UTF_8),
                            "Authorization", "Bearer " + adminToken));
                }
                check(failures, e.endpoint.method + " " + path + " [invalid UTF-8]", () -> app.http().raw(e.endpoint.method.name(), path,
                        "application/json", new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'},
                        "Authorization", "Bearer " + adminToken));
                check(failures, e.endpoint.method + " " + path + " [text/plain]", () -> app.http().raw(e.endpoint.method.name(), path,
                        "text/plain", "hello".getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + adminToken));
                check(failures, e.endpoint.method + " " + path + " [huge csv]", () -> app.http().raw(e.endpoint.method.name(), path,
                        "text/csv", ("email,given_name\n" + "\"unterminated,=1+1\n".repeat(20_000)).getBytes(StandardCharsets.UTF_8),
                        "Authorization", "Bearer " + adminToken));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void hostile_query_strings_on_every_page_and_collection_never_cause_a_server_error() {
        List<String> failures = new ArrayList<>();
        for (ParsedEndpoint e : routes("GET")) {
            for (String path : paths(e)) {
                String q = path + (path.contains("?") ? "&" : "?")
                        + "page=-1&per_page=abc&q=%3Cscript%3Ealert('xss')%3C%2Fscript%3E&lang=xx&email=%27%20OR%201%3D1&modified_since=yesterday&tag=%0D%0A&ref=" + "r".repeat(300);
                Http.Response r = path.startsWith("/api/")
                        ? app.http().get(q, "Authorization", "Bearer " + adminToken)
                        : (isPublic(e) ? app.http().get(q) : admin.get(q));
                check(failures, "GET " + q.substring(0, Math.min(q.length(), 80)), r);
            }
        }
        assertThat(failures).isEmpty();
    }

    static String abbreviate(String s) {
        String flat = s.replaceAll("[\\r\\n]", "⏎");
        return flat.length() > 40 ? flat.substring(0, 40) + "…(" + s.length() + ")" : flat;
    }
}
