package org.convoca.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every registered route called as leader, organizer and admin (pages with a session, API with a
 * token): the expected table is "admin ⊇ organizer ⊇ leader" over each route's declared role. A
 * caller below the route's role gets 403 on every method; a caller at or above it is let through
 * (only safe GETs are called, so the check changes nothing).
 */
class RoleMatrixTest {
    static TestApp app;
    static final List<Role> STAFF = List.of(Role.LEADER, Role.ORGANIZER, Role.ADMIN);
    static final Map<Role, Http> pages = new java.util.EnumMap<>(Role.class);
    static final Map<Role, String> tokens = new java.util.EnumMap<>(Role.class);

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
        for (Role r : STAFF) {
            pages.put(r, app.signedIn(r.staffName()));
            tokens.put(r, app.apiKey(app.createUser("matrix-" + r.staffName() + "-" + System.nanoTime() + "@example.org", r.staffName())));
        }
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void each_staff_role_reaches_exactly_the_routes_its_rank_allows() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (ParsedEndpoint e : app.app.javalin().unsafe.internalRouter.allHttpHandlers()) {
            String method = e.endpoint.method.name();
            if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) continue;
            Role required = (Role) e.endpoint.metadata(Roles.class).getRoles().iterator().next();
            if (required.isPublic() || e.endpoint.path.equals("/logout")) continue;
            String path = e.endpoint.path.replaceAll("\\{[^}]+}", "1");
            boolean api = path.startsWith("/api/");
            for (Role caller : STAFF) {
                boolean allowed = caller.covers(required);
                if (allowed && !method.equals("GET")) continue;  // never change state just to look
                Http.Response r = api
                        ? app.http().json(method, path, tokens.get(caller), method.equals("GET") ? null : "{}")
                        : method.equals("GET") ? pages.get(caller).get(path) : pages.get(caller).post(path, Map.of());
                boolean refused = r.status() == 401 || r.status() == 403
                        || (r.status() == 303 && r.location() != null && r.location().startsWith("/login"));
                if (allowed == refused) {
                    wrong.add(caller + " " + method + " " + e.endpoint.path + " (needs " + required + ") → " + r.status());
                }
                if (!allowed && r.status() != 403) wrong.add(caller + " " + method + " " + e.endpoint.path + " should be 403, was " + r.status());
                checked++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isGreaterThan(200);
    }
}
