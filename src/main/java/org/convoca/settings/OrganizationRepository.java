package org.convoca.settings;

import static org.convoca.db.schema.Tables.ORGANIZATION;

import java.time.OffsetDateTime;
import org.convoca.web.Lang;
import org.jooq.DSLContext;

/**
 * The single organization row. Read on most pages, so it is cached for a few seconds; another
 * instance's edit shows within that time.
 */
public final class OrganizationRepository {
    private static final long CACHE_MILLIS = 5_000;
    private final DSLContext dsl;
    private volatile Organization cached;
    private volatile long cachedAt;

    public OrganizationRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Organization get() {
        Organization org = cached;
        if (org == null || System.currentTimeMillis() - cachedAt > CACHE_MILLIS) {
            org = dsl.selectFrom(ORGANIZATION).fetchSingle(r -> new Organization(
                    r.getName(), r.getPostalAddress(), r.getSenderEmail(), r.getSenderName(),
                    Lang.parse(r.getDefaultLanguage()).orElse(Lang.EN)));
            cached = org;
            cachedAt = System.currentTimeMillis();
        }
        return org;
    }

    public Organization update(Organization org) {
        dsl.update(ORGANIZATION)
                .set(ORGANIZATION.NAME, org.name())
                .set(ORGANIZATION.POSTAL_ADDRESS, org.postalAddress())
                .set(ORGANIZATION.SENDER_EMAIL, org.senderEmail())
                .set(ORGANIZATION.SENDER_NAME, org.senderName())
                .set(ORGANIZATION.DEFAULT_LANGUAGE, org.defaultLanguage().code())
                .set(ORGANIZATION.UPDATED_AT, OffsetDateTime.now())
                .execute();
        cached = null;
        return get();
    }

    public OffsetDateTime[] timestamps() {
        return dsl.select(ORGANIZATION.CREATED_AT, ORGANIZATION.UPDATED_AT).from(ORGANIZATION)
                .fetchSingle(r -> new OffsetDateTime[] {r.value1(), r.value2()});
    }
}
