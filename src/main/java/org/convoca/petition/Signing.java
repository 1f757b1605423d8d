package org.convoca.petition;

import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.convoca.auth.Tokens;
import org.convoca.mail.EmailRenderer;
import org.convoca.mail.Outbox;
import org.convoca.supporter.Activities;
import org.convoca.supporter.PersonRepository;
import org.convoca.supporter.Phones;
import org.convoca.web.Lang;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Signing a petition, in one transaction: the person is created or merged by email, the signature
 * is inserted once (the unique constraint decides, not a prior read), the activity is recorded and
 * the thank-you (or double opt-in) email is queued. A repeat signature rolls all of that back, so
 * signing again changes nothing.
 */
public final class Signing {
    static final Duration CONFIRM_VALID_FOR = Duration.ofDays(7);

    public enum Outcome { SIGNED, PENDING, ALREADY_SIGNED }

    /** What happened, and the signer's referral code for share links (null when already signed). */
    public record Result(Outcome outcome, Long signatureId, String referralCode) {
    }

    private static final class AlreadySigned extends RuntimeException {
        AlreadySigned() {
            super("already signed", null, false, false);
        }
    }

    private final DSLContext dsl;
    private final EmailRenderer emails;
    private final ShareLinks share;
    private final String phoneRegion;

    public Signing(DSLContext dsl, EmailRenderer emails, ShareLinks share, String phoneRegion) {
        this.dsl = dsl;
        this.emails = emails;
        this.share = share;
        this.phoneRegion = phoneRegion;
    }

    /** Signs; {@code source} is form, embed or api; {@code lang} the language the signer used. */
    public Result sign(Petition p, SignatureInput in, String source, String ipHash, Lang lang) {
        String phone = Phones.normalize(in.person().phone(), phoneRegion).orElse(null);
        Lang mailLang = Lang.parse(in.person().language()).orElse(lang);
        try {
            return dsl.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                var origin = new PersonRepository.Origin("petition:" + p.id(), source.equals("api") ? "api" : "form", ipHash);
                long personId = PersonRepository.upsert(tx, in.person(), phone, origin).personId();
                Long referrer = PersonRepository.referrerId(tx, in.person().ref());
                String token = p.doubleOptIn() ? Tokens.random() : null;
                OffsetDateTime now = OffsetDateTime.now();
                var inserted = tx.insertInto(SIGNATURES)
                        .set(SIGNATURES.PETITION_ID, p.id())
                        .set(SIGNATURES.PERSON_ID, personId)
                        .set(SIGNATURES.STATUS, (token == null ? SignatureStatus.CONFIRMED : SignatureStatus.PENDING).value())
                        .set(SIGNATURES.CONFIRMED_AT, token == null ? now : null)
                        .set(SIGNATURES.COMMENTS, in.cleanComments())
                        .set(SIGNATURES.SCHOOL, in.school().strip())
                        .set(SIGNATURES.PUBLIC_DISPLAY, in.publicDisplay())
                        .set(SIGNATURES.REFERRER_ID, referrer == null || referrer == personId ? null : referrer)
                        .set(SIGNATURES.SOURCE, source)
                        .set(SIGNATURES.IP_HASH, ipHash)
                        .set(SIGNATURES.LANGUAGE, mailLang.code())
                        .set(SIGNATURES.TOKEN_HASH, token == null ? null : Tokens.sha256(token))
                        .set(SIGNATURES.TOKEN_EXPIRES_AT, token == null ? null : now.plus(CONFIRM_VALID_FOR))
                        // A concurrent or earlier signature by the same person wins; this one becomes a no-op.
                        .onConflict(SIGNATURES.PETITION_ID, SIGNATURES.PERSON_ID).doNothing()
                        // The signer's referral code comes back with the row: one round trip less.
                        .returningResult(SIGNATURES.ID, DSL.field(DSL.select(PEOPLE.REFERRAL_CODE).from(PEOPLE)
                                .where(PEOPLE.ID.eq(SIGNATURES.PERSON_ID))))
                        .fetchOptional();
                if (inserted.isEmpty()) throw new AlreadySigned();
                long id = inserted.get().value1();
                String code = inserted.get().value2();
                Activities.record(tx, personId, "petition.signed", p.id(),
                        Map.of("title", p.title(), "status", token == null ? "confirmed" : "pending", "source", source));
                Outbox.enqueue(tx, token == null
                        ? thanks(p, id, in.person().email().strip(), in.person().cleanGivenName(), mailLang, code)
                        : confirmation(p, id, in.person().email().strip(), in.person().cleanGivenName(), mailLang, token));
                return new Result(token == null ? Outcome.SIGNED : Outcome.PENDING, id, code);
            });
        } catch (AlreadySigned e) {
            return resendIfPending(p, in, mailLang).orElse(new Result(Outcome.ALREADY_SIGNED, null, null));
        }
    }

    /**
     * Someone signs again while their signature still waits for confirmation (the first email was
     * lost or expired): they get a fresh link instead of "already signed"; the old link stops working.
     */
    private Optional<Result> resendIfPending(Petition p, SignatureInput in, Lang lang) {
        if (!p.doubleOptIn()) return Optional.empty();
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            String token = Tokens.random();
            var row = tx.update(SIGNATURES)
                    .set(SIGNATURES.TOKEN_HASH, Tokens.sha256(token))
                    .set(SIGNATURES.TOKEN_EXPIRES_AT, OffsetDateTime.now().plus(CONFIRM_VALID_FOR))
                    .where(SIGNATURES.PETITION_ID.eq(p.id()))
                    .and(SIGNATURES.STATUS.eq(SignatureStatus.PENDING.value()))
                    .and(SIGNATURES.PERSON_ID.eq(tx.select(PEOPLE.ID).from(PEOPLE)
                            .where(PEOPLE.EMAIL_NORMALIZED.eq(org.convoca.auth.Emails.normalize(in.person().email())))))
                    .returningResult(SIGNATURES.ID, SIGNATURES.PERSON_ID)
                    .fetchOptional();
            if (row.isEmpty()) return Optional.<Result>empty();
            var person = tx.select(PEOPLE.EMAIL, PEOPLE.GIVEN_NAME).from(PEOPLE).where(PEOPLE.ID.eq(row.get().value2()))
                    .fetchSingle();
            var email = confirmation(p, row.get().value1(), person.value1(), person.value2(), lang, token);
            Outbox.enqueue(tx, new org.convoca.mail.OutgoingEmail(email.kind(), email.dedupeKey() + ":" + token.substring(0, 8),
                    email.toAddress(), email.toName(), email.replyTo(), email.subject(), email.textBody(), email.htmlBody(),
                    email.headers()));
            return Optional.of(new Result(Outcome.PENDING, row.get().value1(), null));
        });
    }

    /**
     * Follows a double opt-in link: the pending signature becomes confirmed (and counts) once; the
     * token is cleared so the link cannot be used again, and it must not have expired.
     */
    public Optional<Result> confirm(Petition p, String token) {
        if (token == null || token.isBlank() || token.length() > 100) return Optional.empty();
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            OffsetDateTime now = OffsetDateTime.now();
            var row = tx.update(SIGNATURES)
                    .set(SIGNATURES.STATUS, SignatureStatus.CONFIRMED.value())
                    .set(SIGNATURES.CONFIRMED_AT, now)
                    .setNull(SIGNATURES.TOKEN_HASH)
                    .setNull(SIGNATURES.TOKEN_EXPIRES_AT)
                    .where(SIGNATURES.PETITION_ID.eq(p.id()))
                    .and(SIGNATURES.TOKEN_HASH.eq(Tokens.sha256(token.strip())))
                    .and(SIGNATURES.STATUS.eq(SignatureStatus.PENDING.value()))
                    .and(SIGNATURES.TOKEN_EXPIRES_AT.gt(now))
                    .returningResult(SIGNATURES.ID, SIGNATURES.PERSON_ID, SIGNATURES.LANGUAGE)
                    .fetchOptional();
            if (row.isEmpty()) return Optional.<Result>empty();
            long personId = row.get().value2();
            Lang lang = Lang.parse(row.get().value3()).orElse(Lang.EN);
            Activities.record(tx, personId, "petition.confirmed", p.id(), Map.of("title", p.title()));
            var person = tx.select(PEOPLE.EMAIL, PEOPLE.GIVEN_NAME, PEOPLE.REFERRAL_CODE).from(PEOPLE)
                    .where(PEOPLE.ID.eq(personId)).fetchSingle();
            Outbox.enqueue(tx, thanks(p, row.get().value1(), person.value1(), person.value2(), lang, person.value3()));
            return Optional.of(new Result(Outcome.SIGNED, row.get().value1(), person.value3()));
        });
    }

    /** The thank-you email with share links, once per signature (dedupe key). */
    org.convoca.mail.OutgoingEmail thanks(Petition p, long signatureId, String to, String name, Lang lang, String code) {
        Map<String, Object> model = new HashMap<>();
        model.put("name", name);
        model.put("title", p.title(lang));
        model.put("thankYou", p.thankYou(lang));
        model.put("share", share.links(p, lang, code));
        return emails.email("petition_thanks", "petition_thanks:" + signatureId, to, name, lang, model, p.title(lang));
    }

    private org.convoca.mail.OutgoingEmail confirmation(Petition p, long signatureId, String to, String name, Lang lang,
                                                        String token) {
        Map<String, Object> model = new HashMap<>();
        model.put("name", name);
        model.put("title", p.title(lang));
        model.put("link", share.pageUrl(p) + "/confirm?token=" + token + "&lang=" + lang.code());
        model.put("days", CONFIRM_VALID_FOR.toDays());
        return emails.email("petition_confirm", "petition_confirm:" + signatureId, to, name, lang, model, p.title(lang));
    }
}
