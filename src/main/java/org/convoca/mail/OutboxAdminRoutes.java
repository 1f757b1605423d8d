package org.convoca.mail;

import io.javalin.http.Context;
import java.util.Map;
import org.convoca.web.HtmlError;
import org.convoca.web.Paged;
import org.convoca.web.Views;

/** The admin "outbox" page: every queued and sent email, readable even when no SMTP is set up. */
public final class OutboxAdminRoutes {
    private final Outbox outbox;
    private final Views views;
    private final boolean smtpConfigured;

    public OutboxAdminRoutes(Outbox outbox, Views views, boolean smtpConfigured) {
        this.outbox = outbox;
        this.views = views;
        this.smtpConfigured = smtpConfigured;
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 50);
        Paged<OutboxMessage> page = new Paged<>(outbox.recent(p[1], (p[0] - 1) * p[1]), outbox.count(), p[0], p[1]);
        views.render(ctx, "mail/outbox", Map.of("page", page, "counts", outbox.countsByStatus(),
                "smtpConfigured", smtpConfigured));
    }

    public void show(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw HtmlError.notFound();
        }
        views.render(ctx, "mail/outbox_show", Map.of("message", outbox.find(id).orElseThrow(HtmlError::notFound)));
    }
}
