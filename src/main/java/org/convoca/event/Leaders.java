package org.convoca.event;

import static org.convoca.db.schema.Tables.PEOPLE;

import org.convoca.auth.User;
import org.convoca.supporter.PersonInput;
import org.convoca.supporter.PersonRepository;
import org.jooq.DSLContext;

/**
 * A staff account belongs to the person with the same email (the contract's rule for leaders):
 * that person's referral code is the leader's, and their recruits are the leader's people. The
 * person is created on first need, so every leader has a code from their first visit.
 */
public final class Leaders {
    /** The person behind a staff account. */
    public record Self(long personId, String referralCode) {
    }

    private final DSLContext dsl;

    public Leaders(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Self self(User user) {
        long id = PersonRepository.idByEmail(dsl, user.email()).orElseGet(() -> dsl.transactionResult(cfg ->
                PersonRepository.upsert(cfg.dsl(), new PersonInput(user.name(), "", user.email(), "", "", "", false, ""),
                        "", new PersonRepository.Origin("staff:" + user.id(), "admin", null)).personId()));
        String code = dsl.select(PEOPLE.REFERRAL_CODE).from(PEOPLE).where(PEOPLE.ID.eq(id)).fetchSingle(PEOPLE.REFERRAL_CODE);
        return new Self(id, code);
    }
}
