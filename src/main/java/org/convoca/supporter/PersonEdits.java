package org.convoca.supporter;

import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.LIST_MEMBERS;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.convoca.auth.Emails;
import org.convoca.web.Json;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/**
 * Organizer changes to one person: edits (with the changed field names on the timeline, and a
 * consent row when the email status changes) and erasure.
 */
public final class PersonEdits {
    /** Another person already has this email. */
    public static final class EmailTaken extends RuntimeException {
        public EmailTaken() {
            super("email taken", null, false, false);
        }
    }

    private final DSLContext dsl;

    public PersonEdits(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Saves the form over the person; returns the names of the fields that changed. */
    public List<String> update(Person before, PersonForm form, String phoneE164, String method, String staff) {
        Map<String, Object> custom = form.customFieldMap();
        Map<String, Object[]> changes = new LinkedHashMap<>();
        diff(changes, "given_name", before.givenName(), PersonInput.clean(form.givenName()));
        diff(changes, "family_name", before.familyName(), PersonInput.clean(form.familyName()));
        diff(changes, "email", before.email(), form.email().strip());
        diff(changes, "email_status", before.emailStatus(), form.emailStatus().strip());
        diff(changes, "phone", before.phone(), phoneE164);
        diff(changes, "postal_code", before.postalCode(), form.postalCode().strip());
        diff(changes, "language", before.language(), form.languageOrNull());
        diff(changes, "school", before.school(), PersonInput.clean(form.school()));
        diff(changes, "custom_fields", before.customFields(), custom);
        if (changes.isEmpty()) return List.of();
        try {
            dsl.transaction(c -> {
                DSLContext tx = c.dsl();
                tx.update(PEOPLE)
                        .set(PEOPLE.GIVEN_NAME, PersonInput.clean(form.givenName()))
                        .set(PEOPLE.FAMILY_NAME, PersonInput.clean(form.familyName()))
                        .set(PEOPLE.EMAIL, form.email().strip())
                        .set(PEOPLE.EMAIL_NORMALIZED, Emails.normalize(form.email()))
                        .set(PEOPLE.EMAIL_STATUS, form.emailStatus().strip())
                        .set(PEOPLE.PHONE, phoneE164)
                        .set(PEOPLE.POSTAL_CODE, form.postalCode().strip())
                        .set(PEOPLE.LANGUAGE, form.languageOrNull())
                        .set(PEOPLE.SCHOOL, PersonInput.clean(form.school()))
                        .set(PEOPLE.CUSTOM_FIELDS, json(custom))
                        .set(PEOPLE.UPDATED_AT, DSL.currentOffsetDateTime())
                        .where(PEOPLE.ID.eq(before.id())).and(PEOPLE.ERASED_AT.isNull())
                        .execute();
                Activities.record(tx, before.id(), "person.edited", null,
                        Map.of("fields", new ArrayList<>(changes.keySet()), "by", staff));
                if (changes.containsKey("email_status")) consentChanged(tx, before.id(), form.emailStatus().strip(), method, staff);
            });
        } catch (IntegrityConstraintViolationException e) {
            throw new EmailTaken();
        }
        return new ArrayList<>(changes.keySet());
    }

    /** A consent row and a timeline entry for a change of email status. */
    static void consentChanged(DSLContext tx, long personId, String status, String method, String source) {
        boolean granted = "subscribed".equals(status);
        tx.insertInto(CONSENTS).set(CONSENTS.PERSON_ID, personId).set(CONSENTS.CHANNEL, "email")
                .set(CONSENTS.GRANTED, granted).set(CONSENTS.METHOD, method).set(CONSENTS.SOURCE, source).execute();
        Activities.record(tx, personId, "consent.changed", null, Map.of("status", status, "method", method));
    }

    /**
     * Erases the person's personal data. The row stays (so signature and attendance counts stay
     * whole) with only the normalised email, which keeps the address suppressed: a later import or
     * sign-up matches this row and does not bring the person back. Tags, list memberships and
     * timeline details go; the timeline keeps its kinds and dates for counts. Copies held by other
     * features (signature comments, pledge needs, letters, queued and sent mail) go too.
     */
    public boolean erase(long personId, String staff) {
        return dsl.transactionResult(c -> {
            DSLContext tx = c.dsl();
            int n = tx.update(PEOPLE)
                    .set(PEOPLE.GIVEN_NAME, "").set(PEOPLE.FAMILY_NAME, "").set(PEOPLE.EMAIL, "")
                    .set(PEOPLE.EMAIL_STATUS, "unsubscribed").set(PEOPLE.PHONE, "").set(PEOPLE.POSTAL_CODE, "")
                    .set(PEOPLE.LANGUAGE, (String) null).set(PEOPLE.SCHOOL, "").set(PEOPLE.CUSTOM_FIELDS, JSONB.valueOf("{}"))
                    .set(PEOPLE.SOURCE, "").set(PEOPLE.ERASED_AT, DSL.currentOffsetDateTime())
                    .set(PEOPLE.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(PEOPLE.ID.eq(personId)).and(PEOPLE.ERASED_AT.isNull())
                    .execute();
            if (n == 0) return false;
            String address = tx.select(PEOPLE.EMAIL_NORMALIZED).from(PEOPLE).where(PEOPLE.ID.eq(personId)).fetchOne(PEOPLE.EMAIL_NORMALIZED);
            ErasedCopies.scrub(tx, personId, address == null || address.isEmpty() ? null : address);
            tx.deleteFrom(PERSON_TAGS).where(PERSON_TAGS.PERSON_ID.eq(personId)).execute();
            tx.deleteFrom(LIST_MEMBERS).where(LIST_MEMBERS.PERSON_ID.eq(personId)).execute();
            tx.update(ACTIVITIES).set(ACTIVITIES.DETAILS, JSONB.valueOf("{}")).where(ACTIVITIES.PERSON_ID.eq(personId)).execute();
            tx.update(CONSENTS).set(CONSENTS.IP_HASH, (String) null).where(CONSENTS.PERSON_ID.eq(personId)).execute();
            tx.insertInto(CONSENTS).set(CONSENTS.PERSON_ID, personId).set(CONSENTS.CHANNEL, "email")
                    .set(CONSENTS.GRANTED, false).set(CONSENTS.METHOD, "erasure").set(CONSENTS.SOURCE, staff).execute();
            Activities.record(tx, personId, "person.erased", null, Map.of());
            return true;
        });
    }

    private static void diff(Map<String, Object[]> changes, String field, Object before, Object after) {
        Object b = before == null ? "" : before;
        Object a = after == null ? "" : after;
        if (!Objects.equals(b, a)) changes.put(field, new Object[] {b, a});
    }

    static JSONB json(Object value) {
        try {
            return JSONB.valueOf(Json.MAPPER.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
