package org.convoca.letter;

import static org.convoca.db.schema.Tables.ADVOCACY_CAMPAIGNS;
import static org.convoca.db.schema.Tables.CAMPAIGNS;
import static org.convoca.db.schema.Tables.OUTREACHES;
import static org.convoca.db.schema.Tables.TARGETS;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.convoca.db.schema.tables.records.AdvocacyCampaignsRecord;
import org.convoca.web.FieldError;
import org.convoca.web.Paged;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** Letter actions (advocacy_campaigns), through jOOQ, each with its count of confirmed outreaches. */
public final class LetterActionRepository {
    /** Confirmed outreaches only: a letter counts once its writer proved their address. */
    private static final Field<Integer> TOTAL = DSL.field(DSL.selectCount().from(OUTREACHES)
            .where(OUTREACHES.ADVOCACY_CAMPAIGN_ID.eq(ADVOCACY_CAMPAIGNS.ID))
            .and(OUTREACHES.STATUS.eq("sent"))).as("total_outreaches");

    private final DSLContext dsl;

    public LetterActionRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Errors the form cannot see alone: the campaign and every target must exist. */
    public List<FieldError> referenceErrors(LetterActionForm f) {
        List<FieldError> errors = new ArrayList<>();
        Long campaign = f.campaign();
        if (campaign != null && !dsl.fetchExists(CAMPAIGNS, CAMPAIGNS.ID.eq(campaign))) {
            errors.add(new FieldError("campaign_id", "letter.action.campaign.required"));
        }
        Set<Long> wanted = new HashSet<>(f.targetIdList());
        wanted.addAll(f.fallbackTargetIdList());
        if (!wanted.isEmpty() && dsl.fetchCount(TARGETS, TARGETS.ID.in(wanted)) != wanted.size()) {
            errors.add(new FieldError("target_ids", "letter.action.targets.unknown"));
        }
        return errors;
    }

    public LetterAction create(LetterActionForm f, Long createdBy) {
        AdvocacyCampaignsRecord r = dsl.newRecord(ADVOCACY_CAMPAIGNS);
        apply(r, f);
        r.setCreatedBy(createdBy);
        r.store();
        return find(r.getId()).orElseThrow();
    }

    public Optional<LetterAction> update(long id, LetterActionForm f) {
        AdvocacyCampaignsRecord r = dsl.selectFrom(ADVOCACY_CAMPAIGNS).where(ADVOCACY_CAMPAIGNS.ID.eq(id)).fetchOne();
        if (r == null) return Optional.empty();
        apply(r, f);
        r.setUpdatedAt(OffsetDateTime.now());
        r.store();
        return find(id);
    }

    public boolean setStatus(long id, LetterStatus status) {
        return dsl.update(ADVOCACY_CAMPAIGNS).set(ADVOCACY_CAMPAIGNS.STATUS, status.value())
                .set(ADVOCACY_CAMPAIGNS.UPDATED_AT, OffsetDateTime.now())
                .where(ADVOCACY_CAMPAIGNS.ID.eq(id)).execute() == 1;
    }

    public Optional<LetterAction> find(long id) {
        return select(ADVOCACY_CAMPAIGNS.ID.eq(id)).stream().findFirst();
    }

    public List<LetterAction> forCampaign(long campaignId) {
        return select(ADVOCACY_CAMPAIGNS.CAMPAIGN_ID.eq(campaignId));
    }

    /** Newest first, one page, with the total from a window count in the same query. */
    public Paged<LetterAction> list(int page, int perPage) {
        var total = DSL.count().over().as("total");
        var rows = dsl.select(ADVOCACY_CAMPAIGNS.asterisk(), TOTAL, total).from(ADVOCACY_CAMPAIGNS)
                .orderBy(ADVOCACY_CAMPAIGNS.ID.desc()).limit(perPage).offset((page - 1) * perPage).fetch();
        int count = rows.isEmpty() ? (page == 1 ? 0 : dsl.fetchCount(ADVOCACY_CAMPAIGNS)) : rows.get(0).get(total);
        return new Paged<>(rows.map(LetterActionRepository::toAction), count, page, perPage);
    }

    private List<LetterAction> select(Condition where) {
        return dsl.select(ADVOCACY_CAMPAIGNS.asterisk(), TOTAL).from(ADVOCACY_CAMPAIGNS).where(where)
                .orderBy(ADVOCACY_CAMPAIGNS.ID.desc()).fetch(LetterActionRepository::toAction);
    }

    private static void apply(AdvocacyCampaignsRecord r, LetterActionForm f) {
        r.setCampaignId(f.campaign());
        r.setTitle(f.title().strip());
        r.setTitleEs(f.titleEs().strip());
        r.setDescription(Texts.multiline(f.description()));
        r.setDescriptionEs(Texts.multiline(f.descriptionEs()));
        r.setSubject(f.subject().strip());
        r.setSubjectEs(f.subjectEs().strip());
        r.setBody(Texts.multiline(f.body()));
        r.setBodyEs(Texts.multiline(f.bodyEs()));
        r.setEditable(f.editable());
        r.setTargeting(f.targetingValue().value());
        r.setTargetIds(f.targetIdList().toArray(Long[]::new));
        r.setFallbackTargetIds(f.fallbackTargetIdList().toArray(Long[]::new));
        r.setStatus(f.statusValue().value());
    }

    static LetterAction toAction(Record rec) {
        AdvocacyCampaignsRecord r = rec.into(ADVOCACY_CAMPAIGNS);
        return new LetterAction(r.getId(), r.getCampaignId(), r.getTitle(), r.getTitleEs(), r.getDescription(),
                r.getDescriptionEs(), r.getSubject(), r.getSubjectEs(), r.getBody(), r.getBodyEs(), r.getEditable(),
                Targeting.parse(r.getTargeting()).orElseThrow(), Arrays.asList(r.getTargetIds()),
                Arrays.asList(r.getFallbackTargetIds()), LetterStatus.parse(r.getStatus()).orElseThrow(),
                rec.get(TOTAL), r.getCreatedAt(), r.getUpdatedAt());
    }
}
