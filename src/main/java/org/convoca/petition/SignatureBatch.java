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
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.convoca.auth.Emails;
import org.convoca.auth.Tokens;
import org.convoca.db.ArrayRows;
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
                String token, boolean limited, String email, Values values) {
        /**
         * {@code limited}: a form post, counted against its address's per-minute limit ({@link FormPosts});
         * {@code email}: the signer's address normalised once (rows are sorted and matched by it);
         * {@code values}: the row values, made here on the request's own thread, not by the writer
         * (whose thread and backend are the chain every batch waits on).
         */
        Item {
            if (email == null) email = Emails.normalize(in.person().email());
            if (values == null) values = Values.of(petition, in, lang, source, token);
        }

        Item(Petition petition, SignatureInput in, String phone, Lang lang, String source, String ipHash,
             String token, boolean limited) {
            this(petition, in, phone, lang, source, ipHash, token, limited, null, null);
        }
    }

    /** What the batch's rows take from one signer, cleaned and derived once. */
    record Values(String givenName, String familyName, String emailGiven, String emailStatus, String postalCode,
                  String language, String referralCode, String origin, String comments, String school,
                  String tokenHash, JSONB activity) {
        static Values of(Petition p, SignatureInput in, Lang lang, String source, String token) {
            var person = in.person();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("title", p.title());
            d.put("status", token == null ? "confirmed" : "pending");
            d.put("source", source);
            return new Values(person.cleanGivenName(), person.cleanFamilyName(), person.email().strip(),
                    person.emailOptIn() ? "subscribed" : "unsubscribed", person.postalCode().strip(),
                    Lang.parse(person.language()).map(Lang::code).orElse(null), PersonRepository.newReferralCode(),
                    "petition:" + p.id(), in.cleanComments(), in.school().strip(),
                    token == null ? null : Tokens.sha256(token), json(d));
        }
    }

    private record Person(long id, String code, boolean erased, boolean created) {
    }

    private final SignatureMail mail;

    SignatureBatch(SignatureMail mail) {
        this.mail = mail;
    }

    /**
     * A petition of the batch was closed after its page was read: found in the batch's first
     * round trip, after its rows were sent, so the transaction is rolled back and written again
     * without that petition's signers (rare: only in the moment a petition closes).
     */
    private static final class ClosedMeanwhile extends RuntimeException {
        final Set<Long> petitions;

        ClosedMeanwhile(Set<Long> petitions) {
            super("petitions closed meanwhile", null, false, false);
            this.petitions = petitions;
        }
    }

    /**
     * Writes the items in one transaction of their own, counting their form posts in it
     * ({@code posts}); one result per item, in order.
     */
    List<Result> write(DSLContext dsl, List<Item> items, FormPosts posts) {
        Set<Long> closed = new HashSet<>();
        while (true) {
            try {
                return dsl.transactionResult(cfg -> write(cfg.dsl(), items, closed, posts));
            } catch (ClosedMeanwhile e) {
                closed.addAll(e.petitions);
            }
        }
    }

    private List<Result> write(DSLContext tx, List<Item> items, Set<Long> closed, FormPosts posts) {
        Result[] results = new Result[items.size()];
        Map<String, Long> referrers = referrers(tx, items);
        Map<String, Integer> seen = new HashMap<>();
        List<List<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (closed.contains(items.get(i).petition().id())) {
                results[i] = new Result(Outcome.CLOSED, null, null);
                continue;
            }
            int round = seen.merge(items.get(i).email(), 1, Integer::sum) - 1;
            if (rounds.size() <= round) rounds.add(new ArrayList<>());
            rounds.get(round).add(i);
        }
        // Filled by the first round trip: the posts over their address's limit, written in no round.
        Set<Item> over = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (int r = 0; r < rounds.size(); r++) {
            List<Integer> round = rounds.get(r);
            List<Item> batch = round.stream().map(items::get).filter(it -> !over.contains(it))
                    .sorted(Comparator.comparing(Item::email)).toList();
            // A later round whose posts were all over their limit: nothing to write (the commit
            // then goes on its own).
            Map<Item, Result> written = batch.isEmpty() ? Map.of()
                    : writeRound(tx, batch, referrers, r == 0, r == rounds.size() - 1, posts, over);
            for (int i : round) {
                results[i] = over.contains(items.get(i)) ? new Result(Outcome.RATE_LIMITED, null, null) : written.get(items.get(i));
            }
        }
        return List.of(results);
    }

    /**
     * Petitions closed meanwhile (the page's copy may be a second old) take no signature: the
     * batch's open petitions, read in its first round trip. Only closing is checked: the form
     * already refused drafts, and the API may sign them.
     */
    private static RoundTrip.Shaped openPetitions(DSLContext tx, List<Item> items) {
        Long[] ids = items.stream().map(it -> it.petition().id()).distinct().toArray(Long[]::new);
        var any = DSL.any(DSL.val(ids, ArrayRows.arrayOf(PETITIONS.ID.getDataType())));
        return new RoundTrip.Shaped("signature.openPetitions", tx.select(PETITIONS.ID).from(PETITIONS)
                .where(PETITIONS.ID.eq(any)).and(PETITIONS.STATUS.ne(DSL.inline(PetitionStatus.CLOSED.value()))),
                List.of((Object) ids));
    }

    /**
     * Two round trips for a round: people, signatures and the people read back in one (in the
     * first round, after the count of the batch's form posts, the plan settings and the petitions
     * still open); then the merge,
     * consents, activities and emails of the new signatures in one more, with the commit in the
     * last round. Every statement takes its rows as arrays ({@link ArrayRows}), so its text is the
     * same for every batch. On a loaded machine each round trip is two waits for a CPU (the
     * server's, then the writer's), and the writer's round trips are the whole batch's latency.
     */
    private Map<Item, Result> writeRound(DSLContext tx, List<Item> all, Map<String, Long> referrers,
                                         boolean firstRound, boolean lastRound, FormPosts posts, Set<Item> over) {
        List<RoundTrip.Shaped> first = new ArrayList<>();
        RoundTrip.Shaped count = firstRound ? posts.count(tx) : null;
        if (count != null) first.add(count);
        if (firstRound) {
            first.addAll(indexPlans(tx));
            first.add(openPetitions(tx, all));
        }
        first.add(insertPeople(tx, all, referrers, posts));
        first.add(insertSignatures(tx, all, referrers, posts));
        first.add(readPeople(tx, all));
        var answers = new ArrayList<>(RoundTrip.fetchShaped(tx, first));
        if (count != null) over.addAll(posts.over(answers.remove(0)));
        // The inserts above left out the posts over their limit; nothing more is written for them.
        List<Item> items = over.isEmpty() ? all : all.stream().filter(it -> !over.contains(it)).toList();
        if (firstRound) {
            Set<Long> open = Set.copyOf(answers.remove(0).getValues(PETITIONS.ID));
            Set<Long> closed = items.stream().map(it -> it.petition().id()).filter(id -> !open.contains(id))
                    .collect(Collectors.toSet());
            if (!closed.isEmpty()) throw new ClosedMeanwhile(closed);
        }
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
            String to = it.values().emailGiven();
            String name = it.values().givenName();
            emails.add(it.token() == null
                    ? mail.thanks(it.petition(), id, to, name, it.lang(), person.code())
                    : mail.confirmation(it.petition(), id, to, name, it.lang(), it.token()));
            results.put(it, new Result(it.token() == null ? Outcome.SIGNED : Outcome.PENDING, id, person.code()));
        }
        List<RoundTrip.Shaped> rest = new ArrayList<>();
        rest.add(mergeKnownPeople(tx, signed.stream().filter(it -> !people.get(it.email()).created()).toList(), people,
                referrers));
        rest.add(insertConsents(tx, signed, people));
        rest.add(insertActivities(tx, signed, people));
        ArrayRows outbox = new ArrayRows("v");
        rest.add(new RoundTrip.Shaped("signature.outbox", Outbox.enqueueAll(tx, emails, outbox), outbox.arrays()));
        rest.removeIf(q -> q == null);
        // The commit goes with the last statements; pgjdbc then knows the transaction has ended,
        // and the commit of the transaction around this sends nothing.
        if (lastRound) rest.add(RoundTrip.commit(tx));
        RoundTrip.fetchShaped(tx, rest);
        return results;
    }

    /**
     * Every statement of the writer is planned once per connection (a generic plan), and the
     * lookups of people by email are held to the unique index: with sequential scans, hash and
     * merge joins off for this transaction, a generic plan made while people was nearly empty is
     * still a nested loop of index probes, which is the right plan for a batch of at most
     * {@link Signing#MAX_BATCH} rows whatever the table sizes. (A generic plan chosen freely on a
     * fresh database scanned all of people for every batch: 5 ms and growing.)
     *
     * <p>Custom plans for every batch were the alternative, and cost far more than they showed:
     * {@code plan_cache_mode} also governs the foreign-key checks' cached plans, so the signature
     * insert planned two key lookups per row. That was a fifth of the database's CPU a signature
     * (perf: {@code GetCachedPlan} under {@code SPI_execute_snapshot}), invisible to
     * pg_stat_statements, which counts top-level statements only.
     */
    static List<RoundTrip.Shaped> indexPlans(DSLContext tx) {
        return List.of(
                setLocal(tx, "plan_cache_mode", "force_generic_plan"),
                setLocal(tx, "enable_seqscan", "off"),
                setLocal(tx, "enable_hashjoin", "off"),
                setLocal(tx, "enable_mergejoin", "off"));
    }

    private static RoundTrip.Shaped setLocal(DSLContext tx, String name, String value) {
        return new RoundTrip.Shaped("signature.set." + name, tx.setLocal(DSL.name(name), DSL.inline(value)), List.of());
    }

    /** Who the batch's signers are now: every email, created just now or known before. */
    private static RoundTrip.Shaped readPeople(DSLContext tx, List<Item> items) {
        String[] emails = items.stream().map(Item::email).toArray(String[]::new);
        var any = DSL.any(DSL.val(emails, ArrayRows.arrayOf(PEOPLE.EMAIL_NORMALIZED.getDataType())));
        return new RoundTrip.Shaped("signature.readPeople", tx.select(PEOPLE.ID, PEOPLE.EMAIL_NORMALIZED,
                        PEOPLE.REFERRAL_CODE, PEOPLE.ERASED_AT.isNotNull())
                .from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq(any)), List.of((Object) emails));
    }

    /** The people not yet known, as given; a known email is left alone here (merged only if they sign). */
    private static RoundTrip.Shaped insertPeople(DSLContext tx, List<Item> items, Map<String, Long> referrers,
                                                 FormPosts posts) {
        ArrayRows v = new ArrayRows("v");
        var given = v.column(PEOPLE.GIVEN_NAME, map(items, it -> it.values().givenName()));
        var family = v.column(PEOPLE.FAMILY_NAME, map(items, it -> it.values().familyName()));
        var email = v.column(PEOPLE.EMAIL, map(items, it -> it.values().emailGiven()));
        var normalized = v.column(PEOPLE.EMAIL_NORMALIZED, map(items, Item::email));
        var status = v.column(PEOPLE.EMAIL_STATUS, map(items, it -> it.values().emailStatus()));
        var phone = v.column(PEOPLE.PHONE, map(items, it -> it.phone() == null ? "" : it.phone()));
        var postal = v.column(PEOPLE.POSTAL_CODE, map(items, it -> it.values().postalCode()));
        var language = v.column(PEOPLE.LANGUAGE, map(items, it -> it.values().language()));
        var code = v.column(PEOPLE.REFERRAL_CODE, map(items, it -> it.values().referralCode()));
        var recruitedBy = v.column(PEOPLE.RECRUITED_BY, map(items, it -> referrers.get(refCode(it))));
        var source = v.column(PEOPLE.SOURCE, map(items, it -> it.values().origin()));
        var within = posts.within(v, items);
        // Rows go in the order given (email order): see the class comment on deadlocks.
        return new RoundTrip.Shaped("signature.people", tx.insertInto(PEOPLE, PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME,
                        PEOPLE.EMAIL, PEOPLE.EMAIL_NORMALIZED, PEOPLE.EMAIL_STATUS, PEOPLE.PHONE, PEOPLE.POSTAL_CODE,
                        PEOPLE.LANGUAGE, PEOPLE.REFERRAL_CODE, PEOPLE.RECRUITED_BY, PEOPLE.SOURCE)
                .select(DSL.select(given, family, email, normalized, status, phone, postal, language, code, recruitedBy,
                        source).from(v.table()).where(within))
                .onConflict(PEOPLE.EMAIL_NORMALIZED).doNothing().returningResult(PEOPLE.ID), v.arrays());
    }

    /**
     * One row per signer, the person found by email (a statement after the people insert sees its
     * rows, and those a concurrent transaction committed while it waited on them).
     */
    private static RoundTrip.Shaped insertSignatures(DSLContext tx, List<Item> items, Map<String, Long> referrers,
                                                     FormPosts posts) {
        OffsetDateTime now = OffsetDateTime.now();
        OffsetDateTime expires = now.plus(SignatureMail.CONFIRM_VALID_FOR);
        ArrayRows v = new ArrayRows("v");
        var order = v.column("ord", SQLDataType.INTEGER, java.util.stream.IntStream.range(0, items.size()).boxed().toList());
        var email = v.column(PEOPLE.EMAIL_NORMALIZED, map(items, Item::email));
        var petition = v.column(SIGNATURES.PETITION_ID, map(items, it -> it.petition().id()));
        var comments = v.column(SIGNATURES.COMMENTS, map(items, it -> it.values().comments()));
        var school = v.column(SIGNATURES.SCHOOL, map(items, it -> it.values().school()));
        var publicDisplay = v.column(SIGNATURES.PUBLIC_DISPLAY, map(items, it -> it.in().publicDisplay()));
        var referrer = v.column(SIGNATURES.REFERRER_ID, map(items, it -> referrers.get(refCode(it))));
        var source = v.column(SIGNATURES.SOURCE, map(items, Item::source));
        var ipHash = v.column(SIGNATURES.IP_HASH, map(items, Item::ipHash));
        var language = v.column(SIGNATURES.LANGUAGE, map(items, it -> it.lang().code()));
        var tokenHash = v.column(SIGNATURES.TOKEN_HASH, map(items, it -> it.values().tokenHash()));
        // Per row, so that everything the statement binds besides constants is an array (RoundTrip.Shaped).
        var confirmedAt = v.column(SIGNATURES.CONFIRMED_AT, map(items, it -> it.token() == null ? now : null));
        var tokenExpires = v.column(SIGNATURES.TOKEN_EXPIRES_AT, map(items, it -> it.token() == null ? null : expires));
        var within = posts.within(v, items);
        // Confirmed unless double opt-in asks for a click first (then it has a token and an expiry).
        var status = DSL.when(tokenHash.isNull(), DSL.inline(SignatureStatus.CONFIRMED.value()))
                .else_(DSL.inline(SignatureStatus.PENDING.value()));
        return new RoundTrip.Shaped("signature.signatures", tx.insertInto(SIGNATURES, SIGNATURES.PETITION_ID,
                        SIGNATURES.PERSON_ID, SIGNATURES.STATUS, SIGNATURES.CONFIRMED_AT, SIGNATURES.COMMENTS,
                        SIGNATURES.SCHOOL, SIGNATURES.PUBLIC_DISPLAY, SIGNATURES.REFERRER_ID, SIGNATURES.SOURCE,
                        SIGNATURES.IP_HASH, SIGNATURES.LANGUAGE, SIGNATURES.TOKEN_HASH, SIGNATURES.TOKEN_EXPIRES_AT)
                .select(DSL.select(petition, PEOPLE.ID, status, confirmedAt, comments, school, publicDisplay,
                                // Nobody refers themselves.
                                DSL.nullif(referrer, PEOPLE.ID),
                                source, ipHash, language, tokenHash, tokenExpires)
                        .from(v.table()).join(PEOPLE).on(PEOPLE.EMAIL_NORMALIZED.eq(email))
                        .where(within)
                        // In email order, as the people: two batches take the unique index's locks alike.
                        .orderBy(order))
                .onConflict(SIGNATURES.PETITION_ID, SIGNATURES.PERSON_ID).doNothing()
                .returningResult(SIGNATURES.PERSON_ID, SIGNATURES.ID), v.arrays());
    }

    /**
     * Known people who signed for the first time get what they gave merged in, by the same rules
     * as every other door (PersonRepository.mergeRules), in one UPDATE … FROM the given rows.
     */
    private static RoundTrip.Shaped mergeKnownPeople(DSLContext tx, List<Item> items, Map<String, Person> people,
                                          Map<String, Long> referrers) {
        List<Item> live = items.stream().filter(it -> !people.get(it.email()).erased()).toList();
        if (live.isEmpty()) return null;
        ArrayRows v = new ArrayRows("v");
        var id = v.column(PEOPLE.ID, map(live, it -> people.get(it.email()).id()));
        Map<String, Field<?>> given = new HashMap<>();
        given.put(PEOPLE.GIVEN_NAME.getName(), v.column(PEOPLE.GIVEN_NAME, map(live, it -> it.values().givenName())));
        given.put(PEOPLE.FAMILY_NAME.getName(), v.column(PEOPLE.FAMILY_NAME, map(live, it -> it.values().familyName())));
        given.put(PEOPLE.PHONE.getName(), v.column(PEOPLE.PHONE, map(live, it -> it.phone() == null ? "" : it.phone())));
        given.put(PEOPLE.POSTAL_CODE.getName(), v.column(PEOPLE.POSTAL_CODE, map(live, it -> it.values().postalCode())));
        given.put(PEOPLE.LANGUAGE.getName(), v.column(PEOPLE.LANGUAGE, map(live, it -> it.values().language())));
        given.put(PEOPLE.RECRUITED_BY.getName(), v.column(PEOPLE.RECRUITED_BY, map(live, it -> referrers.get(refCode(it)))));
        given.put(PEOPLE.EMAIL_STATUS.getName(), v.column(PEOPLE.EMAIL_STATUS, map(live, it -> it.values().emailStatus())));
        Table<?> rows = v.table();
        return new RoundTrip.Shaped("signature.merge", tx.update(PEOPLE)
                .set(PersonRepository.mergeRules(new PersonRepository.Incoming() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> Field<T> of(Field<T> column) {
                        Field<?> f = given.get(column.getName());
                        if (f == null) throw new IllegalArgumentException("no incoming value for " + column.getName());
                        return (Field<T>) f;
                    }
                }))
                .set(PEOPLE.UPDATED_AT, DSL.currentOffsetDateTime())
                .from(rows)
                .where(PEOPLE.ID.eq(id))
                // An erased person's row is a suppression: never filled again.
                .and(PEOPLE.ERASED_AT.isNull()), v.arrays());
    }

    private static RoundTrip.Shaped insertConsents(DSLContext tx, List<Item> signed, Map<String, Person> people) {
        List<Item> given = signed.stream()
                .filter(it -> it.in().person().emailOptIn() && !people.get(it.email()).erased()).toList();
        if (given.isEmpty()) return null;
        ArrayRows v = new ArrayRows("v");
        var person = v.column(CONSENTS.PERSON_ID, map(given, it -> people.get(it.email()).id()));
        var method = v.column(CONSENTS.METHOD, map(given, it -> it.source().equals("api") ? "api" : "form"));
        var source = v.column(CONSENTS.SOURCE, map(given, it -> it.values().origin()));
        var ipHash = v.column(CONSENTS.IP_HASH, map(given, Item::ipHash));
        return new RoundTrip.Shaped("signature.consents", tx.insertInto(CONSENTS, CONSENTS.PERSON_ID, CONSENTS.CHANNEL,
                        CONSENTS.GRANTED, CONSENTS.METHOD, CONSENTS.SOURCE, CONSENTS.IP_HASH)
                .select(DSL.select(person, DSL.inline("email"), DSL.inline(true), method, source, ipHash).from(v.table())),
                v.arrays());
    }

    private static RoundTrip.Shaped insertActivities(DSLContext tx, List<Item> signed, Map<String, Person> people) {
        ArrayRows v = new ArrayRows("v");
        var person = v.column(ACTIVITIES.PERSON_ID, map(signed, it -> people.get(it.email()).id()));
        var subject = v.column(ACTIVITIES.SUBJECT_ID, map(signed, it -> it.petition().id()));
        var details = v.column(ACTIVITIES.DETAILS, map(signed, it -> it.values().activity()));
        return new RoundTrip.Shaped("signature.activities", tx.insertInto(ACTIVITIES, ACTIVITIES.PERSON_ID,
                        ACTIVITIES.KIND, ACTIVITIES.SUBJECT_ID, ACTIVITIES.DETAILS)
                .select(DSL.select(person, DSL.inline("petition.signed"), subject, details).from(v.table())), v.arrays());
    }

    private static <T> List<T> map(List<Item> items, java.util.function.Function<Item, T> f) {
        List<T> out = new ArrayList<>(items.size());
        for (Item it : items) out.add(f.apply(it));
        return out;
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

    private static JSONB json(Map<String, ?> details) {
        try {
            return JSONB.valueOf(Json.MAPPER.writeValueAsString(details));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
