package org.convoca.letter;

import static org.convoca.db.schema.Tables.TARGETS;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.convoca.auth.Emails;
import org.convoca.db.schema.tables.records.TargetsRecord;
import org.convoca.web.Paged;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** The targets directory, through jOOQ. */
public final class TargetRepository {
    /** Another target already has this email (unique index). */
    public static final class EmailTaken extends RuntimeException {
        public EmailTaken() {
            super("email taken", null, false, false);
        }
    }

    private final DSLContext dsl;

    public TargetRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Target create(TargetForm f) {
        try {
            TargetsRecord r = dsl.newRecord(TARGETS);
            apply(r, f);
            r.store();
            r.refresh();
            return toTarget(r);
        } catch (IntegrityConstraintViolationException e) {
            throw new EmailTaken();
        }
    }

    public Optional<Target> update(long id, TargetForm f) {
        try {
            TargetsRecord r = dsl.selectFrom(TARGETS).where(TARGETS.ID.eq(id)).fetchOne();
            if (r == null) return Optional.empty();
            apply(r, f);
            r.setUpdatedAt(OffsetDateTime.now());
            r.store();
            return Optional.of(toTarget(r));
        } catch (IntegrityConstraintViolationException e) {
            throw new EmailTaken();
        }
    }

    /** Retired targets keep their letters but receive no new ones; {@code retired=false} brings one back. */
    public boolean setRetired(long id, boolean retired) {
        return dsl.update(TARGETS)
                .set(TARGETS.RETIRED_AT, retired ? DSL.coalesce(TARGETS.RETIRED_AT, DSL.currentOffsetDateTime()) : DSL.inline((OffsetDateTime) null))
                .set(TARGETS.UPDATED_AT, OffsetDateTime.now())
                .where(TARGETS.ID.eq(id))
                .execute() == 1;
    }

    /**
     * A CSV row: creates the target or updates the one with the same email, in the caller's
     * transaction. Returns true when it created one.
     */
    public static boolean upsert(DSLContext tx, TargetForm f) {
        return tx.insertInto(TARGETS)
                .set(TARGETS.GIVEN_NAME, f.givenName().strip())
                .set(TARGETS.FAMILY_NAME, f.familyName().strip())
                .set(TARGETS.TITLE, f.title().strip())
                .set(TARGETS.BODY, f.body().strip())
                .set(TARGETS.EMAIL, f.email().strip())
                .set(TARGETS.EMAIL_NORMALIZED, Emails.normalize(f.email()))
                .set(TARGETS.DISTRICT, f.district().strip())
                .set(TARGETS.SCHOOLS, f.schoolList().toArray(String[]::new))
                .set(TARGETS.POSTAL_CODES, f.postalCodeList().toArray(String[]::new))
                .onConflict(TARGETS.EMAIL_NORMALIZED).doUpdate()
                .set(TARGETS.GIVEN_NAME, DSL.excluded(TARGETS.GIVEN_NAME))
                .set(TARGETS.FAMILY_NAME, DSL.excluded(TARGETS.FAMILY_NAME))
                .set(TARGETS.TITLE, DSL.excluded(TARGETS.TITLE))
                .set(TARGETS.BODY, DSL.excluded(TARGETS.BODY))
                .set(TARGETS.EMAIL, DSL.excluded(TARGETS.EMAIL))
                .set(TARGETS.DISTRICT, DSL.excluded(TARGETS.DISTRICT))
                .set(TARGETS.SCHOOLS, DSL.excluded(TARGETS.SCHOOLS))
                .set(TARGETS.POSTAL_CODES, DSL.excluded(TARGETS.POSTAL_CODES))
                .set(TARGETS.UPDATED_AT, DSL.currentOffsetDateTime())
                // created_at is the transaction's now() only for a row this statement inserted.
                .returningResult(DSL.field(TARGETS.CREATED_AT.eq(DSL.currentOffsetDateTime())))
                .fetchOne().value1();
    }

    public Optional<Target> find(long id) {
        return dsl.selectFrom(TARGETS).where(TARGETS.ID.eq(id)).fetchOptional(TargetRepository::toTarget);
    }

    /** The targets with these ids, in name order (retired ones included: callers decide). */
    public List<Target> byIds(Collection<Long> ids) {
        if (ids.isEmpty()) return List.of();
        return dsl.selectFrom(TARGETS).where(TARGETS.ID.in(ids))
                .orderBy(TARGETS.FAMILY_NAME, TARGETS.GIVEN_NAME, TARGETS.ID).fetch(TargetRepository::toTarget);
    }

    /** Everyone who may receive letters now. The directory is small (a board, a legislature). */
    public List<Target> active() {
        return dsl.selectFrom(TARGETS).where(TARGETS.RETIRED_AT.isNull())
                .orderBy(TARGETS.FAMILY_NAME, TARGETS.GIVEN_NAME, TARGETS.ID).fetch(TargetRepository::toTarget);
    }

    /** Active first, then retired; by name. One page with the total from a window count. */
    public Paged<Target> list(int page, int perPage) {
        var total = DSL.count().over().as("total");
        var rows = dsl.select(TARGETS.asterisk(), total).from(TARGETS)
                .orderBy(TARGETS.RETIRED_AT.isNotNull(), TARGETS.FAMILY_NAME, TARGETS.GIVEN_NAME, TARGETS.ID)
                .limit(perPage).offset((page - 1) * perPage)
                .fetch();
        int count = rows.isEmpty() ? (page == 1 ? 0 : dsl.fetchCount(TARGETS)) : rows.get(0).get(total);
        return new Paged<>(rows.map(TargetRepository::toTarget), count, page, perPage);
    }

    private static void apply(TargetsRecord r, TargetForm f) {
        r.setGivenName(f.givenName().strip());
        r.setFamilyName(f.familyName().strip());
        r.setTitle(f.title().strip());
        r.setBody(f.body().strip());
        r.setEmail(f.email().strip());
        r.setEmailNormalized(Emails.normalize(f.email()));
        r.setDistrict(f.district().strip());
        r.setSchools(f.schoolList().toArray(String[]::new));
        r.setPostalCodes(f.postalCodeList().toArray(String[]::new));
    }

    static Target toTarget(Record rec) {
        TargetsRecord r = rec.into(TARGETS);
        return new Target(r.getId(), r.getGivenName(), r.getFamilyName(), r.getTitle(), r.getBody(), r.getEmail(),
                r.getDistrict(), Arrays.asList(r.getSchools()), Arrays.asList(r.getPostalCodes()), r.getRetiredAt(),
                r.getCreatedAt(), r.getUpdatedAt());
    }
}
