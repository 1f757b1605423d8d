package org.convoca.supporter;

import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.convoca.auth.Emails;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Writes to people: the upsert every door uses (petition, pledge, import, API). One row per
 * normalised email, enforced by the unique index and INSERT … ON CONFLICT, so concurrent sign-ups
 * of the same person never make two rows.
 */
public final class PersonRepository {
    private static final String CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where a write came from, for the record and for consent. */
    public record Origin(String source, String consentMethod, String ipHash) {
    }

    /** The person written, and whether this call created them. */
    public record Upserted(long personId, boolean created) {
    }

    private PersonRepository() {
    }

    /**
     * Creates the person or merges into the existing one, in the caller's transaction. Blank
     * inputs keep stored values; the first recruiter stays; opting in subscribes (unless the
     * address bounces or complained) and records the consent. An erased person stays erased: the
     * call returns their id and stores nothing.
     */
    public static Upserted upsert(DSLContext tx, PersonInput in, String phoneE164, Origin origin) {
        Long referrer = referrerId(tx, in.ref());
        String lang = org.convoca.web.Lang.parse(in.language()).map(l -> l.code()).orElse(null);
        var row = tx.insertInto(PEOPLE)
                .set(PEOPLE.GIVEN_NAME, in.cleanGivenName())
                .set(PEOPLE.FAMILY_NAME, in.cleanFamilyName())
                .set(PEOPLE.EMAIL, in.email().strip())
                .set(PEOPLE.EMAIL_NORMALIZED, Emails.normalize(in.email()))
                .set(PEOPLE.EMAIL_STATUS, in.emailOptIn() ? "subscribed" : "unsubscribed")
                .set(PEOPLE.PHONE, phoneE164 == null ? "" : phoneE164)
                .set(PEOPLE.POSTAL_CODE, in.postalCode().strip())
                .set(PEOPLE.LANGUAGE, lang)
                .set(PEOPLE.REFERRAL_CODE, newReferralCode())
                .set(PEOPLE.RECRUITED_BY, referrer)
                .set(PEOPLE.SOURCE, origin.source())
                .onConflict(PEOPLE.EMAIL_NORMALIZED).doUpdate()
                .set(mergeRules(DSL::excluded))
                .set(PEOPLE.UPDATED_AT, DSL.currentOffsetDateTime())
                // An erased person's row keeps only the normalised email, as a suppression: it is never
                // filled again, so no sign-up, import or API call brings their data back.
                .where(PEOPLE.ERASED_AT.isNull())
                // created_at defaults to the transaction's now(): equal only for a row this call inserted.
                .returningResult(PEOPLE.ID, DSL.field(PEOPLE.CREATED_AT.eq(DSL.currentOffsetDateTime())))
                .fetchOne();
        if (row == null) {
            long erased = idByEmail(tx, in.email()).orElseThrow();
            return new Upserted(erased, false);
        }
        long id = row.value1();
        if (in.emailOptIn()) {
            tx.insertInto(CONSENTS)
                    .set(CONSENTS.PERSON_ID, id)
                    .set(CONSENTS.CHANNEL, "email")
                    .set(CONSENTS.GRANTED, true)
                    .set(CONSENTS.METHOD, origin.consentMethod())
                    .set(CONSENTS.SOURCE, origin.source())
                    .set(CONSENTS.IP_HASH, origin.ipHash())
                    .execute();
        }
        return new Upserted(id, Boolean.TRUE.equals(row.value2()));
    }

    /** The person a referral code belongs to, if any. */
    public static Long referrerId(DSLContext tx, String code) {
        if (code == null || code.isBlank() || code.length() > 40) return null;
        return tx.select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.REFERRAL_CODE.eq(code.strip().toLowerCase()))
                .fetchOptional(PEOPLE.ID).orElse(null);
    }

    public static Optional<Long> idByEmail(DSLContext dsl, String email) {
        return dsl.select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq(Emails.normalize(email)))
                .fetchOptional(PEOPLE.ID);
    }

    /** How an incoming value of a column is read: {@code excluded.x} on conflict, {@code v.x} in a batch update. */
    public interface Incoming {
        <T> Field<T> of(Field<T> column);
    }

    /**
     * What a sign-up merges into an existing person, the one definition for the single upsert and
     * the petition's batch writer: blank inputs keep stored values, a language given wins, the first
     * recruiter stays, and an incoming "subscribed" (an opt-in) subscribes an unsubscribed person
     * but never one whose address bounces or complained. {@code updated_at} is the caller's.
     */
    public static Map<Field<?>, Field<?>> mergeRules(Incoming in) {
        Map<Field<?>, Field<?>> m = new LinkedHashMap<>();
        m.put(PEOPLE.GIVEN_NAME, keepUnlessGiven(in, PEOPLE.GIVEN_NAME));
        m.put(PEOPLE.FAMILY_NAME, keepUnlessGiven(in, PEOPLE.FAMILY_NAME));
        m.put(PEOPLE.PHONE, keepUnlessGiven(in, PEOPLE.PHONE));
        m.put(PEOPLE.POSTAL_CODE, keepUnlessGiven(in, PEOPLE.POSTAL_CODE));
        m.put(PEOPLE.LANGUAGE, DSL.coalesce(in.of(PEOPLE.LANGUAGE), PEOPLE.LANGUAGE));
        m.put(PEOPLE.RECRUITED_BY, DSL.coalesce(PEOPLE.RECRUITED_BY, in.of(PEOPLE.RECRUITED_BY)));
        m.put(PEOPLE.EMAIL_STATUS, DSL.when(in.of(PEOPLE.EMAIL_STATUS).eq("subscribed")
                .and(PEOPLE.EMAIL_STATUS.eq("unsubscribed")), DSL.inline("subscribed")).otherwise(PEOPLE.EMAIL_STATUS));
        return m;
    }

    private static Field<String> keepUnlessGiven(Incoming in, Field<String> column) {
        return DSL.when(in.of(column).eq(""), column).otherwise(in.of(column));
    }

    public static String newReferralCode() {
        // Twelve characters: 31^12 codes, so a million people share one with odds of about one in
        // 1.6 million. With the eight of before (31^8), a million people had nearly even odds of
        // a shared code, and a signer who drew a taken one got an error page: it happened in a
        // petition benchmark run of 330,000 signers (one run in about fifteen).
        // Two draws from the secure generator, six characters each: 31^6 < 2^30, so each 63-bit
        // draw gives every character with a bias under 2^-33.
        char[] code = new char[12];
        for (int half = 0; half < 2; half++) {
            long bits = RANDOM.nextLong() >>> 1;
            for (int i = 0; i < 6; i++) {
                code[half * 6 + i] = CODE_ALPHABET.charAt((int) (bits % CODE_ALPHABET.length()));
                bits /= CODE_ALPHABET.length();
            }
        }
        return new String(code);
    }
}
