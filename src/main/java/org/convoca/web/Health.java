package org.convoca.web;

import io.javalin.http.Context;
import java.util.Map;
import org.jooq.DSLContext;

/** {@code GET /healthz}: 200 when the database answers, 503 with the reason while it does not. */
public final class Health {
    private final DSLContext dsl;

    public Health(DSLContext dsl) {
        this.dsl = dsl;
    }

    public void check(Context ctx) {
        try {
            dsl.selectOne().queryTimeout(2).fetch();
            ctx.json(Map.of("status", "ok"));
        } catch (RuntimeException e) {
            ctx.status(503).json(Map.of("status", "unavailable", "reason", "database unreachable"));
        }
    }
}
