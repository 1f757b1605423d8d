package org.convoca.supporter;

import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.LETTERS;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.OUTBOX;
import static org.convoca.db.schema.Tables.OUTREACHES;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/**
 * The copies of a person's words and details that other features keep next to their own rows: a
 * signature's comment and school, a pledge's access needs, a letter writer's story and address, the
 * emails we queued or sent them. Erasure blanks these in the same transaction as the person row, and
 * keeps every row itself, so petition totals, turnout and letter counts stay whole.
 */
final class ErasedCopies {
    private ErasedCopies() {
    }

    /** {@code emailNormalized} is the person's address as stored before erasure (null if none). */
    static void scrub(DSLContext tx, long personId, String emailNormalized) {
        tx.update(SIGNATURES)
                .set(SIGNATURES.COMMENTS, "").set(SIGNATURES.SCHOOL, "").set(SIGNATURES.PUBLIC_DISPLAY, false)
                .set(SIGNATURES.IP_HASH, (String) null)
                .where(SIGNATURES.PERSON_ID.eq(personId)).execute();
        tx.update(ATTENDANCES)
                .set(ATTENDANCES.ACCESS_NEEDS, "").set(ATTENDANCES.INTERPRETATION_LANGUAGE, "")
                .where(ATTENDANCES.PERSON_ID.eq(personId)).execute();
        tx.update(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.LAST_ERROR, (String) null)
                .where(MESSAGE_DELIVERIES.PERSON_ID.eq(personId)).execute();

        // An outreach is linked to its writer only once confirmed; unconfirmed ones carry the address.
        Condition writer = OUTREACHES.PERSON_ID.eq(personId);
        if (emailNormalized != null) writer = writer.or(DSL.lower(DSL.trim(OUTREACHES.EMAIL)).eq(emailNormalized));
        List<Long> outreachIds = tx.select(OUTREACHES.ID).from(OUTREACHES).where(writer).fetch(OUTREACHES.ID);
        tx.update(OUTREACHES)
                .set(OUTREACHES.GIVEN_NAME, "").set(OUTREACHES.FAMILY_NAME, "").set(OUTREACHES.EMAIL, "")
                .set(OUTREACHES.POSTAL_CODE, "").set(OUTREACHES.PHONE, "").set(OUTREACHES.SCHOOL, "")
                .set(OUTREACHES.STORY, "").set(OUTREACHES.SUBJECT, "").set(OUTREACHES.BODY, "")
                .set(OUTREACHES.REF, "").set(OUTREACHES.IP_HASH, (String) null)
                .where(OUTREACHES.ID.in(outreachIds)).execute();
        tx.update(LETTERS).set(LETTERS.SCHOOL, "").where(LETTERS.PERSON_ID.eq(personId)).execute();

        scrubMail(tx, personId, emailNormalized, outreachIds);
    }

    /**
     * Mail to the person, and the letters they wrote (sent to a decision maker with their name, story
     * and reply-to address). Mail not yet sent is never sent: it ends failed, with no content left.
     */
    private static void scrubMail(DSLContext tx, long personId, String emailNormalized, List<Long> outreachIds) {
        List<String> keys = new ArrayList<>();
        for (long id : outreachIds) {
            keys.add("letter-confirm:" + id);
            keys.add("letter-copy:" + id);
        }
        tx.select(LETTERS.ID).from(LETTERS).where(LETTERS.PERSON_ID.eq(personId))
                .forEach(r -> keys.add("letter:" + r.value1()));
        tx.select(SIGNATURES.ID).from(SIGNATURES).where(SIGNATURES.PERSON_ID.eq(personId)).forEach(r -> {
            keys.add("petition_thanks:" + r.value1());
            keys.add("petition_confirm:" + r.value1());
        });
        Condition theirs = OUTBOX.DEDUPE_KEY.in(keys)
                // The double opt-in email's key carries a token suffix.
                .or(DSL.or(keys.stream().filter(k -> k.startsWith("petition_confirm:"))
                        .map(k -> OUTBOX.DEDUPE_KEY.startsWith(k + ":")).toList()));
        if (emailNormalized != null) {
            theirs = theirs.or(DSL.lower(DSL.trim(OUTBOX.TO_ADDRESS)).eq(emailNormalized))
                    .or(DSL.lower(DSL.trim(OUTBOX.REPLY_TO)).eq(emailNormalized));
        }
        tx.update(OUTBOX)
                .set(OUTBOX.STATUS, DSL.when(OUTBOX.STATUS.eq("sent"), "sent").otherwise("failed"))
                .set(OUTBOX.LAST_ERROR, DSL.when(OUTBOX.STATUS.eq("sent"), OUTBOX.LAST_ERROR).otherwise("person erased"))
                .set(OUTBOX.TO_ADDRESS, "erased").set(OUTBOX.TO_NAME, "").set(OUTBOX.REPLY_TO, (String) null)
                .set(OUTBOX.SUBJECT, "").set(OUTBOX.TEXT_BODY, "").set(OUTBOX.HTML_BODY, (String) null)
                // A shared body holds no personal data; the row's own values (the name) go.
                .setNull(OUTBOX.BODY_ID).setNull(OUTBOX.FILLS)
                .set(OUTBOX.HEADERS, JSONB.valueOf("{}"))
                .where(theirs).execute();
    }
}
