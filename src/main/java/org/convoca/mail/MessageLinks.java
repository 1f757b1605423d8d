package org.convoca.mail;

import static org.convoca.db.schema.Tables.MESSAGE_LINKS;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;

/** The links a message contained, registered once per message; click redirects resolve only these. */
public final class MessageLinks {
    public record Link(long id, String url, int clicks) {
    }

    private final DSLContext dsl;

    public MessageLinks(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Registers the hrefs (as they appear in the HTML) and returns href → id. */
    public Map<String, Long> ensure(long messageId, Collection<String> hrefs) {
        if (!hrefs.isEmpty()) {
            var insert = dsl.insertInto(MESSAGE_LINKS, MESSAGE_LINKS.MESSAGE_ID, MESSAGE_LINKS.URL);
            for (String h : hrefs) insert = insert.values(messageId, h);
            insert.onConflictDoNothing().execute();
        }
        return dsl.select(MESSAGE_LINKS.URL, MESSAGE_LINKS.ID).from(MESSAGE_LINKS)
                .where(MESSAGE_LINKS.MESSAGE_ID.eq(messageId)).fetchMap(MESSAGE_LINKS.URL, MESSAGE_LINKS.ID);
    }

    /** The link with this id, only if it belongs to this message. */
    public Optional<Link> find(long messageId, long linkId) {
        return dsl.select(MESSAGE_LINKS.ID, MESSAGE_LINKS.URL, MESSAGE_LINKS.CLICKS).from(MESSAGE_LINKS)
                .where(MESSAGE_LINKS.ID.eq(linkId)).and(MESSAGE_LINKS.MESSAGE_ID.eq(messageId))
                .fetchOptional(r -> new Link(r.value1(), r.value2(), r.value3()));
    }

    public List<Link> of(long messageId) {
        return dsl.select(MESSAGE_LINKS.ID, MESSAGE_LINKS.URL, MESSAGE_LINKS.CLICKS).from(MESSAGE_LINKS)
                .where(MESSAGE_LINKS.MESSAGE_ID.eq(messageId)).orderBy(MESSAGE_LINKS.CLICKS.desc(), MESSAGE_LINKS.ID)
                .fetch(r -> new Link(r.value1(), org.owasp.html.Encoding.decodeHtml(r.value2()), r.value3()));
    }

    public void countClick(long linkId) {
        dsl.update(MESSAGE_LINKS).set(MESSAGE_LINKS.CLICKS, MESSAGE_LINKS.CLICKS.plus(1))
                .where(MESSAGE_LINKS.ID.eq(linkId)).execute();
    }
}
