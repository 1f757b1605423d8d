package org.convoca.mail;

import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import org.convoca.supporter.Activities;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * What a recipient does with a blast: unsubscribe (recorded as a consent row and an activity),
 * open, click; and what their provider reports: bounces and complaints.
 */
public final class Recipients {
    private final DSLContext dsl;

    public Recipients(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record Delivery(long id, long messageId, long personId, String language) {
    }

    public Optional<Delivery> delivery(long id) {
        return dsl.select(MESSAGE_DELIVERIES.ID, MESSAGE_DELIVERIES.MESSAGE_ID, MESSAGE_DELIVERIES.PERSON_ID, PEOPLE.LANGUAGE)
                .from(MESSAGE_DELIVERIES).join(PEOPLE).on(PEOPLE.ID.eq(MESSAGE_DELIVERIES.PERSON_ID))
                .where(MESSAGE_DELIVERIES.ID.eq(id))
                .fetchOptional(r -> new Delivery(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    /** Unsubscribes at once; true when the person was subscribed until now. */
    public boolean unsubscribe(Delivery d, String method, String ipHash) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.update(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.UNSUBSCRIBED_AT, OffsetDateTime.now())
                    .where(MESSAGE_DELIVERIES.ID.eq(d.id())).and(MESSAGE_DELIVERIES.UNSUBSCRIBED_AT.isNull()).execute();
            return setStatus(tx, d.personId(), "unsubscribed", method, "message:" + d.messageId(), ipHash);
        });
    }

    /** Moves a person's email status away from subscribed, with a consent row and an activity. */
    public static boolean setStatus(DSLContext tx, long personId, String status, String method, String source, String ipHash) {
        int changed = tx.update(PEOPLE).set(PEOPLE.EMAIL_STATUS, status).set(PEOPLE.UPDATED_AT, OffsetDateTime.now())
                .where(PEOPLE.ID.eq(personId)).and(PEOPLE.EMAIL_STATUS.ne(status)).execute();
        if (changed == 0) return false;
        tx.insertInto(CONSENTS).set(CONSENTS.PERSON_ID, personId).set(CONSENTS.CHANNEL, "email")
                .set(CONSENTS.GRANTED, false).set(CONSENTS.METHOD, method).set(CONSENTS.SOURCE, source)
                .set(CONSENTS.IP_HASH, ipHash).execute();
        Activities.record(tx, personId, "consent.changed", null, Map.of("status", status, "method", method));
        return true;
    }

    public void opened(long deliveryId) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            var first = tx.update(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.OPENED_AT, OffsetDateTime.now())
                    .where(MESSAGE_DELIVERIES.ID.eq(deliveryId)).and(MESSAGE_DELIVERIES.OPENED_AT.isNull())
                    .returningResult(MESSAGE_DELIVERIES.PERSON_ID, MESSAGE_DELIVERIES.MESSAGE_ID).fetchOne();
            if (first != null) Activities.record(tx, first.value1(), "email.opened", first.value2(), Map.of());
        });
    }

    /** A click also counts as an open (images are often blocked). */
    public void clicked(long deliveryId, long linkId) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            OffsetDateTime now = OffsetDateTime.now();
            var first = tx.update(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.CLICKED_AT, now)
                    .set(MESSAGE_DELIVERIES.OPENED_AT, DSL.coalesce(MESSAGE_DELIVERIES.OPENED_AT, DSL.val(now)))
                    .where(MESSAGE_DELIVERIES.ID.eq(deliveryId)).and(MESSAGE_DELIVERIES.CLICKED_AT.isNull())
                    .returningResult(MESSAGE_DELIVERIES.PERSON_ID, MESSAGE_DELIVERIES.MESSAGE_ID).fetchOne();
            if (first != null) Activities.record(tx, first.value1(), "email.clicked", first.value2(), Map.of("link", linkId));
            new MessageLinks(tx).countClick(linkId);
        });
    }

    /** A provider event: a hard bounce sets bouncing, a complaint spam_complaint. False if no such person. */
    public boolean providerEvent(String email, String status, String detail) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Long id = tx.select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq(email.strip().toLowerCase()))
                    .fetchOne(PEOPLE.ID);
            if (id == null) return false;
            if (setStatus(tx, id, status, "bounce", detail, null)) {
                Activities.record(tx, id, "email.bounced", null, Map.of("status", status));
            }
            return true;
        });
    }
}
