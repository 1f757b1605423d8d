package org.convoca.mail;

import static org.convoca.db.schema.Tables.MAIL_RATE_WINDOWS;

import java.util.Optional;
import org.jooq.DSLContext;

/**
 * MAIL_RATE across every instance: each second is a row; a permit is an UPSERT that increments
 * the second's counter only while it stays within the rate. No row back means the second is
 * full, so the sender waits for the next one. Unlimited when no rate is configured.
 */
public final class MailRate {
    private final DSLContext dsl;
    private final Optional<Double> perSecond;

    public MailRate(DSLContext dsl, Optional<Double> perSecond) {
        this.dsl = dsl;
        this.perSecond = perSecond.filter(r -> r > 0);
    }

    /** Messages per second across all instances; empty when unlimited. */
    public Optional<Double> perSecond() {
        return perSecond;
    }

    public void acquire() throws InterruptedException {
        if (perSecond.isEmpty()) return;
        int limit = (int) Math.max(1, Math.floor(perSecond.get()));
        while (true) {
            long now = System.currentTimeMillis();
            long second = now / 1000;
            var w = MAIL_RATE_WINDOWS;
            var got = dsl.insertInto(w, w.SECOND, w.SENT).values(second, 1)
                    .onConflict(w.SECOND).doUpdate().set(w.SENT, w.SENT.plus(1))
                    .where(w.SENT.lt(limit))
                    .returningResult(w.SENT).fetchOne();
            if (got != null) {
                if (second % 60 == 0 && got.value1() == 1) dsl.deleteFrom(w).where(w.SECOND.lt(second - 60)).execute();
                return;
            }
            Thread.sleep(1000 - now % 1000 + 1);
        }
    }
}
