package org.convoca.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.convoca.web.Json;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/** A small browser stand-in: keeps cookies, does not follow redirects, reads CSRF tokens from pages. */
public final class Http {
    public final String baseUrl;
    private final HttpClient client;
    private String lastCsrf;

    public Http(String baseUrl) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** A response with the helpers tests want. */
    public record Response(int status, String body, HttpResponse<String> raw) {
        public Document html() {
            return Jsoup.parse(body);
        }

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String location() {
            return header("Location");
        }
    }

    public Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    /** GET a page and remember the CSRF token of its first form. */
    public Response page(String path) {
        Response r = get(path);
        var input = r.html().selectFirst("input[name=_csrf]");
        if (input != null) lastCsrf = input.attr("value");
        return r;
    }

    /** POST a form, adding the CSRF token read from the last page (unless the caller set one). */
    public Response post(String path, Map<String, String> form, String... headers) {
        Map<String, String> data = new LinkedHashMap<>(form);
        if (lastCsrf != null) data.putIfAbsent("_csrf", lastCsrf);
        return postRaw(path, data, headers);
    }

    public Response postRaw(String path, Map<String, String> form, String... headers) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(b, headers);
    }

    /** POST multipart/form-data with one file part, adding the CSRF token read from the last page. */
    public Response postFile(String path, String field, String filename, byte[] content) {
        String boundary = "----convoca" + System.nanoTime();
        var out = new java.io.ByteArrayOutputStream();
        java.util.function.Consumer<String> w = s -> out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        if (lastCsrf != null) {
            w.accept("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + lastCsrf + "\r\n");
        }
        w.accept("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: text/csv\r\n\r\n");
        out.writeBytes(content);
        w.accept("\r\n--" + boundary + "--\r\n");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
        return send(b);
    }

    /** Sends a raw body (a CSV import) to the API with a token. */
    public Response raw(String method, String path, String token, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Accept", "application/json").header("Content-Type", contentType);
        if (token != null) b.header("Authorization", "Bearer " + token);
        return send(b);
    }

    public Response json(String method, String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Accept", "application/json");
        if (json != null) b.header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return send(b);
    }

    /** Any method with a raw body, for malformed input (wrong content types, invalid UTF-8). */
    public Response raw(String method, String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return send(b, headers);
    }

    public void login(String email, String password) {
        page("/login");
        Response r = post("/login", Map.of("email", email, "password", password));
        assertThat(r.status()).as("login redirects").isEqualTo(303);
        page("/admin");  // picks up the session's CSRF token
    }

    /** Confirms the password again, as exports and large sends ask (Reauthentication). */
    public void reauthenticate(String password) {
        page("/admin/confirm");
        Response r = post("/admin/confirm", Map.of("password", password, "next", "/admin"));
        assertThat(r.status()).as("re-authentication").isEqualTo(303);
    }

    public String csrf() {
        return lastCsrf;
    }

    private Response send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(path.startsWith("http") ? path : baseUrl + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
