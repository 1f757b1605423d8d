package org.convoca.letter;

import static org.convoca.db.schema.Tables.LETTERS;
import static org.convoca.db.schema.Tables.OUTREACHES;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convoca.auth.Emails;
import org.convoca.auth.Tokens;
import org.convoca.db.AppSecrets;
import org.convoca.db.schema.tables.records.OutreachesRecord;
import org.convoca.mail.Outbox;
import org.convoca.supporter.Activities;
import org.convoca.supporter.PersonInput;
import org.convoca.supporter.PersonRepository;
import org.convoca.supporter.Phones;
import org.convoca.web.Lang;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Sending a letter, in two steps. {@link #request} stores the writer's letter and emails them a
 * single-use link; nothing goes to a target yet. {@link #confirm} (the link) writes the person,
 * one letter row per target (the unique constraint makes it once per writer and target), queues
 * one email per new row and the writer's copy, and records the timeline activity: one transaction.
 */
public final class OutreachService {
    public static final Duration LINK_VALIDITY = Duration.ofHours(48);

    /** A daily limit was reached; nothing was stored. */
    public static final class LimitReached extends RuntimeException {
        private final LetterQuota.Scope scope;

        LimitReached(LetterQuota.Scope scope) {
            super("limit " + scope, null, false, false);
            this.scope = scope;
        }

        public LetterQuota.Scope scope() {
            return scope;
        }
    }

    public record Outreach(long id, long actionId, String status, List<Target> targets, OffsetDateTime createdAt) {
    }

    public enum State { SENT, ALREADY_CONFIRMED, EXPIRED, UNKNOWN }

    /** What confirming did: to whom the letter went, who already had this writer's letter, who was over the limit. */
    public record Confirmation(State state, Long actionId, List<String> sentTo, List<String> alreadyWritten,
                               List<String> overLimit) {
        static Confirmation of(State s, Long actionId) {
            return new Confirmation(s, actionId, List.of(), List.of(), List.of());
        }
    }

    /** A pending letter as its confirmation page shows it. */
    public record Pending(long actionId, String writerName, List<Target> targets, LetterMail.Letter letter,
                          boolean expired, boolean confirmed) {
    }

    private final DSLContext dsl;
    private final TargetRepository targets;
    private final LetterMail mail;
    private final AppSecrets secrets;
    private final String baseUrl;
    private final String phoneRegion;

    public OutreachService(DSLContext dsl, TargetRepository targets, LetterMail mail, AppSecrets secrets,
                           String baseUrl, String phoneRegion) {
        this.dsl = dsl;
        this.targets = targets;
        this.mail = mail;
        this.secrets = secrets;
        this.baseUrl = baseUrl;
        this.phoneRegion = phoneRegion;
    }

    /**
     * Stores a pending letter to {@code recipients} (already resolved from the directory) and queues the
     * confirmation email. {@code ipHash} is null for API calls, which are authenticated instead.
     */
    public Outreach request(LetterAction action, LetterSubmission s, List<Target> recipients, List<String> schools,
                            Lang lang, String ipHash, String source) {
        String token = Tokens.random();
        PersonInput p = s.person();
        Lang writerLang = Lang.parse(p.language()).orElse(lang);
        Map<String, String> values = s.mergeValues(schools);
        OutreachesRecord row = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            if (ipHash != null && !LetterQuota.take(tx, LetterQuota.Scope.IP, ipHash, LetterQuota.PER_IP)) {
                throw new LimitReached(LetterQuota.Scope.IP);
            }
            String writerKey = secrets.hmac("writer:" + Emails.normalize(p.email()));
            if (!LetterQuota.take(tx, LetterQuota.Scope.WRITER, writerKey, LetterQuota.PER_WRITER)) {
                throw new LimitReached(LetterQuota.Scope.WRITER);
            }
            OutreachesRecord r = tx.insertInto(OUTREACHES)
                    .set(OUTREACHES.ADVOCACY_CAMPAIGN_ID, action.id())
                    .set(OUTREACHES.GIVEN_NAME, p.cleanGivenName())
                    .set(OUTREACHES.FAMILY_NAME, p.cleanFamilyName())
                    .set(OUTREACHES.EMAIL, p.email().strip())
                    .set(OUTREACHES.POSTAL_CODE, p.postalCode().strip())
                    .set(OUTREACHES.PHONE, p.phone().strip())
                    .set(OUTREACHES.LANGUAGE, writerLang.code())
                    .set(OUTREACHES.EMAIL_OPT_IN, p.emailOptIn())
                    .set(OUTREACHES.REF, p.ref().strip())
                    .set(OUTREACHES.SCHOOL, values.get("school"))
                    .set(OUTREACHES.STORY, s.story())
                    .set(OUTREACHES.SUBJECT, s.subject())
                    .set(OUTREACHES.BODY, s.body())
                    .set(OUTREACHES.TARGET_IDS, recipients.stream().map(Target::id).toArray(Long[]::new))
                    .set(OUTREACHES.TOKEN_HASH, Tokens.sha256(token))
                    .set(OUTREACHES.EXPIRES_AT, OffsetDateTime.now().plus(LINK_VALIDITY))
                    .set(OUTREACHES.IP_HASH, ipHash)
                    .set(OUTREACHES.SOURCE, source)
                    .returning().fetchOne();
            Outbox.enqueue(tx, mail.confirmation(r.getId(), p.email().strip(), s.writerName(), writerLang,
                    action.title(writerLang), recipients.stream().map(Target::label).toList(),
                    confirmUrl(token), LINK_VALIDITY.toHours()));
            return r;
        });
        return new Outreach(row.getId(), action.id(), row.getStatus(), recipients, row.getCreatedAt());
    }

    public String confirmUrl(String token) {
        return baseUrl + "/letters/confirm/" + token;
    }

    public Optional<Pending> pending(String token) {
        return byToken(token).map(r -> new Pending(r.getAdvocacyCampaignId(),
                (r.getGivenName() + " " + r.getFamilyName()).strip(), targets.byIds(Arrays.asList(r.getTargetIds())),
                LetterMail.letter(r.getSubject(), r.getBody(), values(r)),
                r.getExpiresAt().isBefore(OffsetDateTime.now()), r.getConfirmedAt() != null));
    }

    /** The link: single use (an atomic state change), and only before it expires. */
    public Confirmation confirm(String token, String ipHash) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            OutreachesRecord r = tx.update(OUTREACHES)
                    .set(OUTREACHES.STATUS, "sent")
                    .set(OUTREACHES.CONFIRMED_AT, DSL.currentOffsetDateTime())
                    .where(OUTREACHES.TOKEN_HASH.eq(Tokens.sha256(token == null ? "" : token)))
                    .and(OUTREACHES.STATUS.eq("pending_confirmation"))
                    .and(OUTREACHES.EXPIRES_AT.gt(DSL.currentOffsetDateTime()))
                    .returning().fetchOne();
            if (r == null) {
                return byToken(token).map(x -> Confirmation.of(x.getConfirmedAt() != null ? State.ALREADY_CONFIRMED
                        : State.EXPIRED, x.getAdvocacyCampaignId())).orElse(Confirmation.of(State.UNKNOWN, null));
            }
            return send(tx, r, ipHash);
        });
    }

    private Confirmation send(DSLContext tx, OutreachesRecord r, String ipHash) {
        long actionId = r.getAdvocacyCampaignId();
        PersonInput in = new PersonInput(r.getGivenName(), r.getFamilyName(), r.getEmail(), r.getPostalCode(),
                r.getPhone(), r.getLanguage(), r.getEmailOptIn(), r.getRef());
        String phone = Phones.normalize(r.getPhone(), phoneRegion).orElse(null);
        long personId = PersonRepository.upsert(tx, in, phone,
                new PersonRepository.Origin("letter:" + actionId, r.getSource(), ipHash)).personId();
        tx.update(OUTREACHES).set(OUTREACHES.PERSON_ID, personId).where(OUTREACHES.ID.eq(r.getId())).execute();
        Lang lang = Lang.parse(r.getLanguage()).orElse(Lang.EN);
        LetterMail.Letter letter = LetterMail.letter(r.getSubject(), r.getBody(), values(r));
        String writerName = (in.cleanGivenName() + " " + in.cleanFamilyName()).strip();
        List<String> sent = new ArrayList<>(), already = new ArrayList<>(), over = new ArrayList<>();
        for (Target t : targets.byIds(Arrays.asList(r.getTargetIds()))) {
            if (t.retired()) continue;  // retired between preview and confirmation: no new letters
            if (tx.fetchExists(LETTERS, LETTERS.ADVOCACY_CAMPAIGN_ID.eq(actionId)
                    .and(LETTERS.PERSON_ID.eq(personId)).and(LETTERS.TARGET_ID.eq(t.id())))) {
                already.add(t.label());
                continue;
            }
            if (!LetterQuota.take(tx, LetterQuota.Scope.TARGET, String.valueOf(t.id()), LetterQuota.PER_TARGET)) {
                over.add(t.label());
                continue;
            }
            Long letterId = tx.insertInto(LETTERS)
                    .set(LETTERS.OUTREACH_ID, r.getId()).set(LETTERS.ADVOCACY_CAMPAIGN_ID, actionId)
                    .set(LETTERS.PERSON_ID, personId).set(LETTERS.TARGET_ID, t.id()).set(LETTERS.SCHOOL, r.getSchool())
                    .onConflictDoNothing().returningResult(LETTERS.ID).fetchOptional(x -> x.value1()).orElse(null);
            if (letterId == null) {
                already.add(t.label());
                continue;
            }
            Outbox.enqueue(tx, mail.toTarget(letterId, t, writerName, r.getEmail(), r.getSchool(), r.getPostalCode(), lang, letter));
            sent.add(t.label());
        }
        if (!sent.isEmpty()) {
            Activities.record(tx, personId, "letter.sent", actionId, Map.of("outreach_id", r.getId(),
                    "subject", letter.subject(), "targets", sent));
            Outbox.enqueue(tx, mail.copy(r.getId(), r.getEmail(), writerName, lang, sent, letter));
        }
        return new Confirmation(State.SENT, actionId, sent, already, over);
    }

    /**
     * Unconfirmed letters a week past their link's expiry are deleted: they hold a stranger's name,
     * email and story that nobody confirmed, and nothing refers to them.
     */
    public int deleteAbandoned() {
        return dsl.deleteFrom(OUTREACHES).where(OUTREACHES.STATUS.eq("pending_confirmation"))
                .and(OUTREACHES.EXPIRES_AT.lt(OffsetDateTime.now().minusDays(7))).execute();
    }

    private Optional<OutreachesRecord> byToken(String token) {
        if (token == null || token.isBlank() || token.length() > 100) return Optional.empty();
        return dsl.selectFrom(OUTREACHES).where(OUTREACHES.TOKEN_HASH.eq(Tokens.sha256(token))).fetchOptional();
    }

    private static Map<String, String> values(OutreachesRecord r) {
        return Map.of("given_name", r.getGivenName(), "family_name", r.getFamilyName(), "school", r.getSchool(),
                "postal_code", r.getPostalCode(), "story", r.getStory());
    }
}
