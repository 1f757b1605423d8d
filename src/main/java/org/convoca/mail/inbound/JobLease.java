package org.convoca.mail.inbound;

import static org.convoca.db.schema.Tables.JOB_LEASES;

import java.time.Duration;
import java.time.OffsetDateTime;
import org.jooq.DSLContext;

/**
 * A named job that runs on one instance at a time. Taking the lease is one UPSERT that only
 * writes when the row is new, expired or already ours, so two instances racing for it cannot both
 * win. A holder that dies simply lets the lease run out.
 */
public final class JobLease {
    private final DSLContext dsl;
    private final String name;
    private final String holder;

    public JobLease(DSLContext dsl, String name, String holder) {
        this.dsl = dsl;
        this.name = name;
        this.holder = holder;
    }

    /** True when this holder now has the lease for {@code length}. */
    public boolean tryAcquire(Duration length) {
        OffsetDateTime now = OffsetDateTime.now();
        return dsl.insertInto(JOB_LEASES).set(JOB_LEASES.NAME, name).set(JOB_LEASES.HOLDER, holder)
                .set(JOB_LEASES.LOCKED_UNTIL, now.plus(length))
                .onConflict(JOB_LEASES.NAME).doUpdate()
                .set(JOB_LEASES.HOLDER, holder).set(JOB_LEASES.LOCKED_UNTIL, now.plus(length))
                .where(JOB_LEASES.LOCKED_UNTIL.lt(now).or(JOB_LEASES.HOLDER.eq(holder)))
                .execute() == 1;
    }

    /** Gives the lease up early (only if still ours), so another instance need not wait it out. */
    public void release() {
        dsl.update(JOB_LEASES).set(JOB_LEASES.LOCKED_UNTIL, OffsetDateTime.now())
                .where(JOB_LEASES.NAME.eq(name)).and(JOB_LEASES.HOLDER.eq(holder)).execute();
    }
}
