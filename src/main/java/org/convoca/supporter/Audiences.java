package org.convoca.supporter;

import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;

/**
 * Who an email audience reaches, for the messages feature: a tag, a static list or a segment, as a
 * condition over {@code people}. {@link #mailable} keeps only subscribed, non-erased people:
 * unsubscribed, bouncing and complaining people are never emailed by a blast.
 */
public final class Audiences {
    private final SegmentRepository segments;

    public Audiences(DSLContext dsl) {
        this.segments = new SegmentRepository(dsl);
    }

    public static Condition tag(String name) {
        return new PeopleSearch("", name, null).condition();
    }

    public static Condition list(long listId) {
        return new PeopleSearch("", "", listId).condition();
    }

    public Optional<Condition> segment(long segmentId) {
        return segments.condition(segmentId);
    }

    public static Condition mailable(Condition audience) {
        return audience.and(PEOPLE.ERASED_AT.isNull()).and(PEOPLE.EMAIL_STATUS.eq(EmailStatus.SUBSCRIBED.value()));
    }
}
