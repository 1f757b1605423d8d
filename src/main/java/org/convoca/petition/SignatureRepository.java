package org.convoca.petition;

import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.SIGNATURES;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.convoca.web.Paged;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** Reading signatures: recent public names, the organizer's list, per-day counts, the export. */
public final class SignatureRepository {
    private static final SelectFieldOrAsterisk[] COLUMNS = {SIGNATURES.ID, SIGNATURES.PERSON_ID, PEOPLE.GIVEN_NAME,
            PEOPLE.FAMILY_NAME, PEOPLE.EMAIL, PEOPLE.POSTAL_CODE, PEOPLE.PHONE, SIGNATURES.SCHOOL, SIGNATURES.COMMENTS,
            SIGNATURES.STATUS, SIGNATURES.SOURCE, SIGNATURES.PUBLIC_DISPLAY, SIGNATURES.LANGUAGE,
            SIGNATURES.CREATED_AT, SIGNATURES.CONFIRMED_AT};

    private final DSLContext dsl;

    public SignatureRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * The latest confirmed signers who agreed to be shown, as "Ana R.": first name and last
     * initial only, never a place.
     */
    public List<String> recentPublicNames(long petitionId, int limit) {
        return dsl.select(PEOPLE.GIVEN_NAME, PEOPLE.FAMILY_NAME).from(SIGNATURES)
                .join(PEOPLE).on(PEOPLE.ID.eq(SIGNATURES.PERSON_ID))
                .where(PetitionRepository.confirmed(petitionId)).and(SIGNATURES.PUBLIC_DISPLAY.isTrue())
                .and(PEOPLE.ERASED_AT.isNull()).and(PEOPLE.GIVEN_NAME.ne(""))
                .orderBy(SIGNATURES.CONFIRMED_AT.desc()).limit(limit)
                .fetch(r -> shortName(r.value1(), r.value2()));
    }

    static String shortName(String given, String family) {
        String first = given.strip().split("\\s+")[0];
        String f = family.strip();
        return f.isEmpty() ? first : first + " " + f.substring(0, f.offsetByCodePoints(0, 1)).toUpperCase() + ".";
    }

    /** One page of a petition's signatures, newest first, optionally filtered by name or email. */
    public Paged<SignatureRow> list(long petitionId, String search, int page, int perPage) {
        var total = DSL.count().over().as("total");
        var rows = dsl.select(COLUMNS).select(total).from(SIGNATURES)
                .join(PEOPLE).on(PEOPLE.ID.eq(SIGNATURES.PERSON_ID))
                .where(SIGNATURES.PETITION_ID.eq(petitionId)).and(matches(search))
                .orderBy(SIGNATURES.ID.desc()).limit(perPage).offset((page - 1) * perPage)
                .fetch();
        int count = rows.isEmpty() ? (page == 1 ? 0 : dsl.fetchCount(dsl.selectFrom(SIGNATURES).where(
                SIGNATURES.PETITION_ID.eq(petitionId)))) : rows.get(0).get(total);
        return new Paged<>(rows.map(SignatureRepository::toRow), count, page, perPage);
    }

    private static Condition matches(String search) {
        if (search == null || search.isBlank()) return DSL.noCondition();
        String like = "%" + search.strip().toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return PEOPLE.EMAIL_NORMALIZED.like(like)
                .or(DSL.lower(PEOPLE.GIVEN_NAME.concat(DSL.inline(" ")).concat(PEOPLE.FAMILY_NAME)).like(like));
    }

    /**
     * Every signature, oldest first, handed to {@code each} one at a time from a server-side
     * cursor (a transaction with a fetch size), so memory stays flat however many there are.
     */
    public void forEach(long petitionId, boolean confirmedOnly, Consumer<SignatureRow> each) {
        dsl.transaction(cfg -> {
            Condition where = confirmedOnly ? PetitionRepository.confirmed(petitionId) : SIGNATURES.PETITION_ID.eq(petitionId);
            try (var cursor = cfg.dsl().select(COLUMNS).from(SIGNATURES)
                    .join(PEOPLE).on(PEOPLE.ID.eq(SIGNATURES.PERSON_ID))
                    .where(where).orderBy(SIGNATURES.ID).fetchSize(1_000).fetchLazy()) {
                for (Record r : cursor) each.accept(toRow(r));
            }
        });
    }

    /**
     * Confirmed signatures per day over the last {@code days} days, zero days included. Days are
     * in the session's time zone, which the JDBC driver sets to this JVM's, like {@code today}.
     */
    public Map<LocalDate, Integer> perDay(long petitionId, int days) {
        LocalDate today = LocalDate.now();
        LocalDate from = today.minusDays(days - 1L);
        var day = SIGNATURES.CONFIRMED_AT.cast(SQLDataType.LOCALDATE);
        Map<LocalDate, Integer> counts = dsl.select(day, DSL.count()).from(SIGNATURES)
                .where(PetitionRepository.confirmed(petitionId))
                .and(SIGNATURES.CONFIRMED_AT.ge(from.atStartOfDay(java.time.ZoneId.systemDefault()).toOffsetDateTime()))
                .groupBy(day).fetchMap(r -> r.value1(), r -> r.value2());
        Map<LocalDate, Integer> out = new LinkedHashMap<>();
        for (LocalDate d = from; !d.isAfter(today); d = d.plusDays(1)) out.put(d, counts.getOrDefault(d, 0));
        return out;
    }

    private static SignatureRow toRow(Record r) {
        return new SignatureRow(r.get(SIGNATURES.ID), r.get(SIGNATURES.PERSON_ID), r.get(PEOPLE.GIVEN_NAME),
                r.get(PEOPLE.FAMILY_NAME), r.get(PEOPLE.EMAIL), r.get(PEOPLE.POSTAL_CODE), r.get(PEOPLE.PHONE),
                r.get(SIGNATURES.SCHOOL), r.get(SIGNATURES.COMMENTS), r.get(SIGNATURES.STATUS),
                r.get(SIGNATURES.SOURCE), r.get(SIGNATURES.PUBLIC_DISPLAY), r.get(SIGNATURES.LANGUAGE),
                r.get(SIGNATURES.CREATED_AT), r.get(SIGNATURES.CONFIRMED_AT));
    }
}
