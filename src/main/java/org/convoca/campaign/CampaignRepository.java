package org.convoca.campaign;

import static org.convoca.db.schema.Tables.CAMPAIGNS;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.convoca.db.schema.tables.records.CampaignsRecord;
import org.convoca.web.Paged;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** Campaigns, through jOOQ. */
public final class CampaignRepository {
    /** The slug is already used by another campaign (unique index). */
    public static final class SlugTaken extends RuntimeException {
        public SlugTaken() {
            super("slug taken", null, false, false);
        }
    }

    private final DSLContext dsl;

    public CampaignRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Campaign create(CampaignForm f, Long createdBy) {
        try {
            CampaignsRecord r = dsl.newRecord(CAMPAIGNS);
            apply(r, f);
            r.setCreatedBy(createdBy);
            r.store();
            r.refresh();
            return toCampaign(r);
        } catch (IntegrityConstraintViolationException e) {
            throw new SlugTaken();
        }
    }

    public Optional<Campaign> update(long id, CampaignForm f) {
        try {
            CampaignsRecord r = dsl.selectFrom(CAMPAIGNS).where(CAMPAIGNS.ID.eq(id)).fetchOne();
            if (r == null) return Optional.empty();
            apply(r, f);
            r.setUpdatedAt(OffsetDateTime.now());
            r.store();
            return Optional.of(toCampaign(r));
        } catch (IntegrityConstraintViolationException e) {
            throw new SlugTaken();
        }
    }

    public boolean setStatus(long id, CampaignStatus status) {
        return dsl.update(CAMPAIGNS)
                .set(CAMPAIGNS.STATUS, status.value())
                .set(CAMPAIGNS.UPDATED_AT, OffsetDateTime.now())
                .where(CAMPAIGNS.ID.eq(id))
                .execute() == 1;
    }

    public Optional<Campaign> find(long id) {
        return dsl.selectFrom(CAMPAIGNS).where(CAMPAIGNS.ID.eq(id)).fetchOptional(CampaignRepository::toCampaign);
    }

    public Optional<Campaign> findBySlug(String slug) {
        return dsl.selectFrom(CAMPAIGNS).where(CAMPAIGNS.SLUG.eq(slug)).fetchOptional(CampaignRepository::toCampaign);
    }

    public List<Campaign> live(int limit) {
        return dsl.selectFrom(CAMPAIGNS).where(CAMPAIGNS.STATUS.eq(CampaignStatus.LIVE.value()))
                .orderBy(CAMPAIGNS.ID.desc()).limit(limit).fetch(CampaignRepository::toCampaign);
    }

    /** Newest first, one page, with the total from a window count in the same query. */
    public Paged<Campaign> list(int page, int perPage) {
        var total = DSL.count().over().as("total");
        var rows = dsl.select(CAMPAIGNS.asterisk(), total).from(CAMPAIGNS)
                .orderBy(CAMPAIGNS.ID.desc())
                .limit(perPage).offset((page - 1) * perPage)
                .fetch();
        int count = rows.isEmpty() ? (page == 1 ? 0 : dsl.fetchCount(CAMPAIGNS)) : rows.get(0).get(total);
        return new Paged<>(rows.map(CampaignRepository::toCampaign), count, page, perPage);
    }

    private static void apply(CampaignsRecord r, CampaignForm f) {
        r.setTitle(f.title().strip());
        r.setTitleEs(f.titleEs().strip());
        r.setSlug(f.effectiveSlug());
        r.setSummary(f.summary().strip());
        r.setSummaryEs(f.summaryEs().strip());
        r.setDescription(f.description());
        r.setDescriptionEs(f.descriptionEs());
        r.setTargetNames(f.targetList().toArray(String[]::new));
        r.setStatus(f.statusValue().value());
        r.setStartDate(f.start());
        r.setEndDate(f.end());
        r.setImageUrl(f.imageUrl().isBlank() ? null : f.imageUrl().strip());
    }

    static Campaign toCampaign(Record rec) {
        CampaignsRecord r = rec.into(CAMPAIGNS);
        return new Campaign(r.getId(), r.getSlug(), r.getTitle(), r.getTitleEs(), r.getSummary(), r.getSummaryEs(),
                r.getDescription(), r.getDescriptionEs(), Arrays.asList(r.getTargetNames()),
                CampaignStatus.parse(r.getStatus()).orElseThrow(), r.getStartDate(), r.getEndDate(), r.getImageUrl(),
                r.getCreatedAt(), r.getUpdatedAt());
    }
}
