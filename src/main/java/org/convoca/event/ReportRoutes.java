package org.convoca.event;

import io.javalin.http.Context;
import java.util.Map;
import org.convoca.web.Views;
import org.jooq.DSLContext;

/** Turnout reports: per event, per leader, per campaign funnel, regulars of a series; CSV. */
public final class ReportRoutes {
    private final DSLContext dsl;
    private final EventRepository events;
    private final Turnout turnout;
    private final Views views;

    public ReportRoutes(DSLContext dsl, EventRepository events, Turnout turnout, Views views) {
        this.dsl = dsl;
        this.events = events;
        this.turnout = turnout;
        this.views = views;
    }

    public void overview(Context ctx) {
        views.render(ctx, "event/reports", Map.of());
    }
}
