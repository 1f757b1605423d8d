package org.convoca.mail.inbound;

import static org.convoca.db.schema.Tables.INBOUND_MAIL_EVENTS;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.convoca.mail.Recipients;
import org.convoca.supporter.Activities;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Applies what the bounce inbox said to the delivery's person, in one transaction per message:
 * a hard bounce sets {@code bouncing}, a complaint {@code spam_complaint}, an unsubscribe email
 * {@code unsubscribed} (consent method {@code email}); soft bounces are counted and only
 * {@link #SOFT_BOUNCE_LIMIT} of them within {@link #SOFT_BOUNCE_WINDOW} set {@code bouncing}.
 * Each status change writes a consent row and an activity (through {@link Recipients#setStatus}).
 */
public final class InboundEvents {
    /** A full mailbox or a greylisting server bounces softly now and then; three in a month is a dead address. */
    static final int SOFT_BOUNCE_LIMIT = 3;
    static final Duration SOFT_BOUNCE_WINDOW = Duration.ofDays(30);

    private final DSLContext dsl;

    public InboundEvents(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Applies verdicts in one transaction; returns how many changed something now (not applied before, delivery found). */
    public int apply(List<InboundMail.Verdict> verdicts) {
        if (verdicts.stream().noneMatch(InboundMail.Verdict::acts)) return 0;
        return dsl.transactionResult(cfg -> {
            int changed = 0;
            for (InboundMail.Verdict v : verdicts) if (v.acts() && apply(cfg.dsl(), v)) changed++;
            return changed;
        });
    }

    private static boolean apply(DSLContext tx, InboundMail.Verdict v) {
        var delivery = tx.select(MESSAGE_DELIVERIES.PERSON_ID, MESSAGE_DELIVERIES.MESSAGE_ID).from(MESSAGE_DELIVERIES)
                .where(MESSAGE_DELIVERIES.ID.eq(v.deliveryId())).fetchOne();
        if (delivery == null) return false;   // the message was deleted since
        long personId = delivery.value1();
        long messageId = delivery.value2();
        // The unique (delivery, kind) makes a message read twice a no-op.
        int inserted = tx.insertInto(INBOUND_MAIL_EVENTS).set(INBOUND_MAIL_EVENTS.DELIVERY_ID, v.deliveryId())
                .set(INBOUND_MAIL_EVENTS.PERSON_ID, personId).set(INBOUND_MAIL_EVENTS.KIND, kind(v.kind()))
                .set(INBOUND_MAIL_EVENTS.STATUS, v.detail()).onConflictDoNothing().execute();
        if (inserted == 0) return false;
        String source = "message:" + messageId;
        return switch (v.kind()) {
            case HARD_BOUNCE -> bounced(tx, personId, messageId, "hard", v.detail(), true);
            case SOFT_BOUNCE -> bounced(tx, personId, messageId, "soft", v.detail(), softLimitReached(tx, personId));
            case COMPLAINT -> {
                Activities.record(tx, personId, "email.complained", messageId, Map.of("feedback_type", v.detail()));
                Recipients.setStatus(tx, personId, "spam_complaint", "complaint", source, null);
                yield true;
            }
            case UNSUBSCRIBE -> {
                tx.update(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.UNSUBSCRIBED_AT, OffsetDateTime.now())
                        .where(MESSAGE_DELIVERIES.ID.eq(v.deliveryId())).and(MESSAGE_DELIVERIES.UNSUBSCRIBED_AT.isNull())
                        .execute();
                if (isSubscribed(tx, personId)) Recipients.setStatus(tx, personId, "unsubscribed", "email", source, null);
                yield true;
            }
            case FORGED, NOT_OURS -> false;
        };
    }

    private static boolean bounced(DSLContext tx, long personId, long messageId, String type, String status,
                                   boolean stopMailing) {
        Activities.record(tx, personId, "email.bounced", messageId, Map.of("bounce_type", type, "status", status));
        // Only a subscribed address turns bouncing: an earlier unsubscribe or complaint says more about the person.
        if (stopMailing && isSubscribed(tx, personId)) Recipients.setStatus(tx, personId, "bouncing", "bounce", "message:" + messageId, null);
        return true;
    }

    private static boolean isSubscribed(DSLContext tx, long personId) {
        return tx.fetchExists(DSL.selectOne().from(PEOPLE).where(PEOPLE.ID.eq(personId)).and(PEOPLE.EMAIL_STATUS.eq("subscribed")));
    }

    private static boolean softLimitReached(DSLContext tx, long personId) {
        return tx.fetchCount(INBOUND_MAIL_EVENTS, INBOUND_MAIL_EVENTS.PERSON_ID.eq(personId)
                .and(INBOUND_MAIL_EVENTS.KIND.eq("soft_bounce"))
                .and(INBOUND_MAIL_EVENTS.CREATED_AT.gt(OffsetDateTime.now().minus(SOFT_BOUNCE_WINDOW)))) >= SOFT_BOUNCE_LIMIT;
    }

    private static String kind(InboundMail.Kind k) {
        return switch (k) {
            case HARD_BOUNCE -> "hard_bounce";
            case SOFT_BOUNCE -> "soft_bounce";
            case COMPLAINT -> "complaint";
            case UNSUBSCRIBE -> "unsubscribe";
            case FORGED, NOT_OURS -> throw new IllegalArgumentException("not an event: " + k);
        };
    }
}
