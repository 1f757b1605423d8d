package org.convoca.petition;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PETITIONS;
import static org.convoca.db.schema.Tables.SIGNATURES;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.convoca.auth.Emails;
import org.convoca.auth.Tokens;
import org.convoca.mail.OutgoingEmail;
import org.convoca.mail.Outbox;
import org.convoca.petition.Signing.Outcome;
import org.convoca.petition.Signing.Result;
import org.convoca.supporter.PersonRepository;
import org.convoca.web.Json;
import org.convoca.web.Lang;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.ResultQuery;
import org.jooq.Row8;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Many signatures in one transaction with set-based statements: one insert of the new people, one
 * read of the known ones, one signature insert whose ON CONFLICT DO NOTHING says who had already
 * signed, then one merge of the known people, one consent, one activity and one outbox insert for
 * the new signatures only. Someone who had already signed changes nothing, as before.
 *
 * <p>A person appears at most once per round: a repeat within the batch ("Ana@x.org " right
 * after "ana@x.org") goes into a later round of the same transaction, so it sees the first and
 * is told "already signed", exactly as if the two had come one after the other. Rows are written
 * in email order so two batches (two instances) lock people in the same order and cannot deadlock.
 */
final class SignatureBatch {
    /** One sign request, validated; {@code token} is set when the petition asks for double opt-in. */
    record Item(Petition petition, SignatureInput in, String phone, Lang lang, String source, String ipHash,
                String token) {
        String email() {
            return Emails.normalize(in.person().email());
        }
    }

    private record Person(long id, String code, boolean erased, boolean created) {
    }

    private final SignatureMail mail;

    SignatureBatch(SignatureMail mail) {
        this.mail = mail;
    }

    /** Writes the items in the caller's transaction; one result per item, in order. */
    List<Result> write(DSLContext tx, List<Item> items) {
        Result[] results = new Result[items.size()];
        boolean[] refused = refusals(tx, items, results);
        Map<String, Long> referrers = referrers(tx, items);
        Map<String, Integer> seen = new HashMap<>();
        List<List<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (refused[i]) continue;
            int round = seen.merge(items.get(i).email(), 1, Integer::sum) - 1;
            if (rounds.size() <= round) rounds.add(new ArrayList<>());
            rounds.get(round).add(i);
        }
        for (List<Integer> round : rounds) {
            List<Item> batch = round.stream().map(items::get).sorted(Comparator.comparing(Item::email)).toList();
            Map<Item, Result> written = writeRound(tx, batch, referrers);
            for (int i : round) results[i] = written.get(items.get(i));
        }
        return List.of(results);
    }

    /**
     * Petitions closed meanwhile (the page's copy may be a second old) take no signature: fills
     * the results of those items and marks them. Only closing is checked: the form already refused
     * drafts, and the API may sign them.
     */
    private static boolean[] refusals(DSLContext tx, List<Item> items, Result[] results) {
        Set<Long> ids = items.stream().map(it -> it.petition().id()).collect(Collectors.toSet());
        Set<Long> open = Set.copyOf(tx.select(PETITIONS.ID).from(PETITIONS)
                .where(PETITIONS.ID.in(ids)).and(PETITIONS.STATUS.ne(PetitionStatus.CLOSED.value()))
                .fetch(PETITIONS.ID));
        boolean[] refused = new boolean[items.size()];
        for (int i = 0; i < items.size(); i++) {
            if (!open.contains(items.get(i).petition().id())) results[i] = new Result(Outcome.CLOSED, null, null);
            refused[i] = results[i] != null;
        }
        return refused;
    }

    /**
     * Two round trips for a round: people, signatures and the people read back in one; then the
     * merge, consents, activities and emails of the new signatures in one JDBC batch.
     */
    private Map<Item, Result> writeRound(DSLContext tx, List<Item> items, Map<String, Long> referrers) {
        var answers = RoundTrip.fetchAll(tx, insertPeople(tx, items, referrers), insertSignatures(tx, items, referrers),
                tx.select(PEOPLE.ID, PEOPLE.EMAIL_NORMALIZED, PEOPLE.REFERRAL_CODE, PEOPLE.ERASED_AT.isNotNull())
                        .from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.in(items.stream().map(Item::email).toList())));
        Set<Long> created = Set.copyOf(answers.get(0).getValues(PEOPLE.ID));
        // A concurrent or earlier signature by the same person wins; theirs is not returned.
        Map<Long, Long> signatureByPerson = answers.get(1).intoMap(SIGNATURES.PERSON_ID, SIGNATURES.ID);
        Map<String, Person> people = new HashMap<>();
        for (var r : answers.get(2)) {
            long id = r.get(PEOPLE.ID);
            people.put(r.get(PEOPLE.EMAIL_NORMALIZED), new Person(id, r.get(PEOPLE.REFERRAL_CODE),
                    Boolean.TRUE.equals(r.get(3, Boolean.class)), created.contains(id)));
        }

        Map<Item, Result> results = new IdentityHashMap<>();
        for (Item it : items) results.put(it, new Result(Outcome.ALREADY_SIGNED, null, null));
        List<Item> signed = items.stream().filter(it -> signatureByPerson.containsKey(people.get(it.email()).id())).toList();
        if (signed.isEmpty()) return results;
        List<OutgoingEmail> emails = new ArrayList<>();
        for (Item it : signed) {
            Person person = people.get(it.email());
            long id = signatureByPerson.get(person.id());
            String to = it.in().person().email().strip();
            String name = it.in().person().cleanGivenName();
            emails.add(it.token() == null
                    ? mail.thanks(it.petition(), id, to, name, it.lang(), person.code())
                    : mail.confirmation(it.petition(), id, to, name, it.lang(), it.token()));
            results.put(it, new Result(it.token() == null ? Outcome.SIGNED : Outcome.PENDING, id, person.code()));
        }
        List<Query> rest = new ArrayList<>();
        rest.add(mergeKnownPeople(tx, signed.stream().filter(it -> !people.get(it.email()).created()).toList(), people,
                referrers));
        rest.add(insertConsents(tx, signed, people));
        rest.add(insertActivities(tx, signed, people));
        rest.add(Outbox.enqueueAll(tx, emails));
        rest.removeIf(q -> q == null);
        tx.batch(rest).execute();
        return results;
    }

    /** The people not yet known, as given; a known email is left alone here (merged only if they sign). */
    private static ResultQuery<?> insertPeople(DSLContext tx, List<Item> items, Map<String, Long> referrers) {
        var insert = tx.insertInto(PEOPLE);
        org.jooq.InsertSetMoreStep<?> rows = null;
        for (Item it : items) {
            var in = it.in().person();
            rows = (rows == null ? insert : rows.newRecord())
                    .set(PEOPLE.GIVEN_NAME, in.cleanGivenName())
                    .set(PEOPLE.FAMILY_NAME, in.cleanFamilyName())
                    .set(PEOPLE.EMAIL, in.email().strip())
                    .set(PEOPLE.EMAIL_NORMALIZED, it.email())
                    .set(PEOPLE.EMAIL_STATUS, in.emailOptIn() ? "subscribed" : "unsubscribed")
                    .set(PEOPLE.PHONE, it.phone() == null ? "" : it.phone())
                    .set(PEOPLE.POSTAL_CODE, in.postalCode().strip())
                    .set(PEOPLE.LANGUAGE, language(it))
                    .set(PEOPLE.REFERRAL_CODE, PersonRepository.newReferralCode())
                    .set(PEOPLE.RECRUITED_BY, referrers.get(refCode(it)))
                    .set(PEOPLE.SOURCE, "petition:" + it.petition().id());
        }
        return rows.onConflict(PEOPLE.EMAIL_NORMALIZED).doNothing().returningResult(PEOPLE.ID);
    }

    /**
     * One row per signer, the person found by email (a statement after the people insert sees its
     * rows, and those a concurrent transaction committed while it waited on them).
     */
    private static ResultQuery<?> insertSignatures(DSLContext tx, List<Item> items, Map<String, Long> referrers) {
        OffsetDateTime now = OffsetDateTime.now();
        var insert = tx.insertInto(SIGNATURES);
        org.jooq.InsertSetMoreStep<?> rows = null;
        for (Item it : items) {
            Field<Long> person = DSL.field(DSL.select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq(it.email())));
            Long referrer = referrers.get(refCode(it));
            String token = it.token();
            rows = (rows == null ? insert : rows.newRecord())
                    .set(SIGNATURES.PETITION_ID, it.petition().id())
                    .set(SIGNATURES.PERSON_ID, person)
                    .set(SIGNATURES.STATUS, (token == null ? SignatureStatus.CONFIRMED : SignatureStatus.PENDING).value())
                    .set(SIGNATURES.CONFIRMED_AT, token == null ? now : null)
                    .set(SIGNATURES.COMMENTS, it.in().cleanComments())
                    .set(SIGNATURES.SCHOOL, it.in().school().strip())
                    .set(SIGNATURES.PUBLIC_DISPLAY, it.in().publicDisplay())
                    // Nobody refers themselves.
                    .set(SIGNATURES.REFERRER_ID, referrer == null ? DSL.inline(null, SQLDataType.BIGINT)
                            : DSL.nullif(DSL.val(referrer), person))
                    .set(SIGNATURES.SOURCE, it.source())
                    .set(SIGNATURES.IP_HASH, it.ipHash())
                    .set(SIGNATURES.LANGUAGE, it.lang().code())
                    .set(SIGNATURES.TOKEN_HASH, token == null ? null : Tokens.sha256(token))
                    .set(SIGNATURES.TOKEN_EXPIRES_AT, token == null ? null : now.plus(SignatureMail.CONFIRM_VALID_FOR));
        }
        return rows.onConflict(SIGNATURES.PETITION_ID, SIGNATURES.PERSON_ID).doNothing()
                .returningResult(SIGNATURES.PERSON_ID, SIGNATURES.ID);
    }

    /**
     * Known people who signed for the first time get what they gave merged in, by the same rules
     * as every other door (PersonRepository.mergeRules), in one UPDATE … FROM (VALUES …).
     */
    private static Query mergeKnownPeople(DSLContext tx, List<Item> items, Map<String, Person> people,
                                          Map<String, Long> referrers) {
        List<Row8<Long, String, String, String, String, String, Long, String>> values = new ArrayList<>();
        for (Item it : items) {
            if (people.get(it.email()).erased()) continue;
            var in = it.in().person();
            values.add(DSL.row(DSL.val(people.get(it.email()).id()), DSL.val(in.cleanGivenName()),
                    DSL.val(in.cleanFamilyName()), DSL.val(it.phone() == null ? "" : it.phone()),
                    DSL.val(in.postalCode().strip()), DSL.val(language(it), PEOPLE.LANGUAGE.getDataType()),
                    DSL.val(referrers.get(refCode(it)), SQLDataType.BIGINT),
                    DSL.val(in.emailOptIn() ? "subscribed" : "unsubscribed")));
        }
        if (values.isEmpty()) return null;
        Table<?> v = DSL.values(values.toArray(Row8[]::new)).as("v", "id", PEOPLE.GIVEN_NAME.getName(),
                PEOPLE.FAMILY_NAME.getName(), PEOPLE.PHONE.getName(), PEOPLE.POSTAL_CODE.getName(),
                PEOPLE.LANGUAGE.getName(), PEOPLE.RECRUITED_BY.getName(), PEOPLE.EMAIL_STATUS.getName());
        return tx.update(PEOPLE)
                .set(PersonRepository.mergeRules(new PersonRepository.Incoming() {
                    @Override
                    public <T> Field<T> of(Field<T> column) {
                        return v.field(column.getName(), column.getType());
                    }
                }))
                .set(PEOPLE.UPDATED_AT, DSL.currentOffsetDateTime())
                .from(v)
                .where(PEOPLE.ID.eq(v.field("id", Long.class)))
                // An erased person's row is a suppression: never filled again.
                .and(PEOPLE.ERASED_AT.isNull());
    }

    private static Query insertConsents(DSLContext tx, List<Item> signed, Map<String, Person> people) {
        var insert = tx.insertInto(CONSENTS);
        org.jooq.InsertSetMoreStep<?> rows = null;
        for (Item it : signed) {
            Person person = people.get(it.email());
            if (!it.in().person().emailOptIn() || person.erased()) continue;
            rows = (rows == null ? insert : rows.newRecord())
                    .set(CONSENTS.PERSON_ID, person.id())
                    .set(CONSENTS.CHANNEL, "email")
                    .set(CONSENTS.GRANTED, true)
                    .set(CONSENTS.METHOD, it.source().equals("api") ? "api" : "form")
                    .set(CONSENTS.SOURCE, "petition:" + it.petition().id())
                    .set(CONSENTS.IP_HASH, it.ipHash());
        }
        return rows;
    }

    private static Query insertActivities(DSLContext tx, List<Item> signed, Map<String, Person> people) {
        var insert = tx.insertInto(ACTIVITIES);
        org.jooq.InsertSetMoreStep<?> rows = null;
        for (Item it : signed) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("title", it.petition().title());
            details.put("status", it.token() == null ? "confirmed" : "pending");
            details.put("source", it.source());
            rows = (rows == null ? insert : rows.newRecord())
                    .set(ACTIVITIES.PERSON_ID, people.get(it.email()).id())
                    .set(ACTIVITIES.KIND, "petition.signed")
                    .set(ACTIVITIES.SUBJECT_ID, it.petition().id())
                    .set(ACTIVITIES.DETAILS, json(details));
        }
        return rows;
    }

    /** The people the batch's referral codes belong to, in one query. */
    private static Map<String, Long> referrers(DSLContext tx, List<Item> items) {
        Set<String> codes = items.stream().map(SignatureBatch::refCode).filter(c -> c != null).collect(Collectors.toSet());
        if (codes.isEmpty()) return new HashMap<>();  // get(null) must answer null
        return tx.select(PEOPLE.REFERRAL_CODE, PEOPLE.ID).from(PEOPLE).where(PEOPLE.REFERRAL_CODE.in(codes))
                .fetchMap(r -> r.value1(), r -> r.value2());
    }

    /** The referral code as PersonRepository.referrerId reads it, or null when it could not match. */
    private static String refCode(Item it) {
        String code = it.in().person().ref();
        if (code == null || code.isBlank() || code.length() > 40) return null;
        return code.strip().toLowerCase();
    }

    private static String language(Item it) {
        return Lang.parse(it.in().person().language()).map(Lang::code).orElse(null);
    }

    private static JSONB json(Map<String, ?> details) {
        try {
            return JSONB.valueOf(Json.MAPPER.writeValueAsString(details));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
