package org.convoca.letter;

import static org.convoca.db.schema.Tables.LETTERS;
import static org.convoca.db.schema.Tables.OUTREACHES;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.mail.EmailRenderer;
import org.convoca.mail.Outbox;
import org.convoca.mail.OutgoingEmail;
import org.convoca.web.HtmlError;
import org.convoca.web.Lang;
import org.convoca.web.Views;
import org.jooq.DSLContext;

/**
 * A target's delivery summary for one action ("212 parents from your district wrote about
 * counselors"): a printable page, and the same summary emailed to the target on request.
 */
public final class DeliverySummary {
    /** A writer's story as the summary quotes it: first name and initial, school. */
    public record Story(String writer, String school, String story) {
    }

    private static final int MAX_STORIES = 200;

    private final DSLContext dsl;
    private final LetterActionRepository actions;
    private final TargetRepository targets;
    private final LetterStats stats;
    private final EmailRenderer emails;
    private final Views views;

    public DeliverySummary(DSLContext dsl, LetterActionRepository actions, TargetRepository targets, LetterStats stats,
                           EmailRenderer emails, Views views) {
        this.dsl = dsl;
        this.actions = actions;
        this.targets = targets;
        this.stats = stats;
        this.emails = emails;
        this.views = views;
    }

    public void page(Context ctx) {
        LetterAction a = action(ctx);
        Target t = target(ctx);
        Map<String, Object> m = model(a, t, views.lang(ctx));
        m.put("action", a);
        views.render(ctx, "letter/summary", m);
    }

    /** Emails the summary to the target, from the organization; once per count, so a double click sends one. */
    public void send(Context ctx) {
        LetterAction a = action(ctx);
        Target t = target(ctx);
        if (t.retired()) throw new HtmlError(409, "letter.summary.retired");
        Lang lang = views.lang(ctx);
        Map<String, Object> m = model(a, t, lang);
        var r = emails.render("letter_summary", lang, m, m.get("count"), a.title(lang));
        dsl.transaction(cfg -> Outbox.enqueue(cfg.dsl(), new OutgoingEmail("letter_summary",
                "letter-summary:" + a.id() + ":" + t.id() + ":" + m.get("count"), t.email(), t.name(), null,
                r.subject(), r.text(), r.html(), Map.of())));
        views.redirectWithFlash(ctx, "/admin/letters/" + a.id() + "/targets/" + t.id() + "/summary", "letter.summary.sent");
    }

    private Map<String, Object> model(LetterAction a, Target t, Lang lang) {
        var span = stats.span(t.id(), a.id());
        Map<String, Object> m = new HashMap<>();
        m.put("target", t);
        m.put("title", a.title(lang));
        m.put("count", stats.lettersTo(t.id(), a.id()));
        m.put("schools", stats.schoolsTo(t.id(), a.id()));
        m.put("from", span[0] == null ? "" : span[0].toLocalDate().toString());
        m.put("to", span[1] == null ? "" : span[1].toLocalDate().toString());
        m.put("stories", stories(t.id(), a.id()));
        return m;
    }

    private List<Story> stories(long targetId, long actionId) {
        return dsl.select(OUTREACHES.GIVEN_NAME, OUTREACHES.FAMILY_NAME, LETTERS.SCHOOL, OUTREACHES.STORY)
                .from(LETTERS).join(OUTREACHES).on(OUTREACHES.ID.eq(LETTERS.OUTREACH_ID))
                .where(LETTERS.TARGET_ID.eq(targetId).and(LETTERS.ADVOCACY_CAMPAIGN_ID.eq(actionId))
                        .and(OUTREACHES.STORY.ne("")))
                .orderBy(LETTERS.SENT_AT.desc()).limit(MAX_STORIES)
                .fetch(r -> new Story(r.value1() + (r.value2().isEmpty() ? "" : " " + r.value2().charAt(0) + "."),
                        r.value3(), r.value4()));
    }

    private LetterAction action(Context ctx) {
        return actions.find(Ids.path(ctx, "id")).orElseThrow(HtmlError::notFound);
    }

    private Target target(Context ctx) {
        return targets.find(Ids.path(ctx, "tid")).orElseThrow(HtmlError::notFound);
    }
}
