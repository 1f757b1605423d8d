package org.convoca.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import java.util.List;
import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Enumerates every registered route: each names one role, and staff routes refuse anonymous callers. */
class RouteAccessTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static List<ParsedEndpoint> routes() {
        return app.app.javalin().unsafe.internalRouter.allHttpHandlers().stream()
                .filter(e -> !e.endpoint.method.name().startsWith("BEFORE") && !e.endpoint.method.name().startsWith("AFTER"))
                .toList();
    }

    static Role role(ParsedEndpoint e) {
        Roles roles = e.endpoint.metadata(Roles.class);
        assertThat(roles).as("roles of " + e.endpoint.method + " " + e.endpoint.path).isNotNull();
        assertThat(roles.getRoles()).as("exactly one role on " + e.endpoint.path).hasSize(1);
        return (Role) roles.getRoles().iterator().next();
    }

    @Test
    void every_route_names_exactly_one_role_and_admin_and_api_routes_are_never_public() {
        assertThat(routes()).hasSizeGreaterThan(20);
        for (ParsedEndpoint e : routes()) {
            Role role = role(e);
            if (e.endpoint.path.startsWith("/admin") || e.endpoint.path.startsWith("/api/")) {
                assertThat(role.isPublic()).as(e.endpoint.method + " " + e.endpoint.path + " must not be public").isFalse();
            }
        }
    }

    @Test
    void every_staff_route_refuses_an_anonymous_caller() {
        Http anonymous = app.http();
        int checked = 0;
        for (ParsedEndpoint e : routes()) {
            if (role(e).isPublic()) continue;
            String path = e.endpoint.path.replaceAll("\\{[^}]+}", "1");
            String method = e.endpoint.method.name();
            Http.Response r = switch (method) {
                case "GET" -> anonymous.get(path);
                case "POST" -> path.startsWith("/api/") ? anonymous.json("POST", path, null, "{}") : anonymous.postRaw(path, Map.of());
                default -> anonymous.json(method, path, null, "{}");
            };
            String what = method + " " + e.endpoint.path;
            if (path.startsWith("/api/")) {
                assertThat(r.status()).as(what).isEqualTo(401);
                assertThat(r.header("Content-Type")).as(what).startsWith("application/problem+json");
            } else if (method.equals("GET")) {
                assertThat(r.status()).as(what).isEqualTo(303);
                assertThat(r.location()).as(what).startsWith("/login?next=");
            } else {
                assertThat(r.status()).as(what).isIn(401, 403);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(15);
    }

    @Test
    void an_api_token_of_a_revoked_key_is_refused() {
        var user = app.createUser("revoked-" + System.nanoTime() + "@example.org", "organizer");
        String token = app.apiKey(user);
        assertThat(app.http().json("GET", "/api/v1/campaigns", token, null).status()).isEqualTo(200);
        long id = app.dsl().select(org.convoca.db.schema.Tables.API_KEYS.ID).from(org.convoca.db.schema.Tables.API_KEYS)
                .where(org.convoca.db.schema.Tables.API_KEYS.USER_ID.eq(user.id())).fetchOne().value1();
        Http admin = app.signedIn("admin");
        admin.page("/admin/api-keys");
        assertThat(admin.post("/admin/api-keys/" + id + "/revoke", Map.of()).status()).isEqualTo(303);
        assertThat(app.http().json("GET", "/api/v1/campaigns", token, null).status()).isEqualTo(401);
    }
}
