package org.convoca.petition;

import static org.convoca.db.schema.Tables.PETITIONS;
import static org.convoca.db.schema.Tables.SIGNATURES;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.convoca.db.schema.tables.records.PetitionsRecord;
import org.convoca.web.Json;
import org.convoca.web.Paged;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** Petitions, through jOOQ, and their exact signature counts. */
public final class PetitionRepository {
    /** The slug is already used by another petition (unique index). */
    public static final class SlugTaken extends RuntimeException {
        public SlugTaken() {
            super("slug taken", null, false, false);
        }
    }

    private final DSLContext dsl;

    public PetitionRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Petition create(long campaignId, PetitionForm f, Long createdBy) {
        try {
            PetitionsRecord r = dsl.newRecord(PETITIONS);
            r.setCampaignId(campaignId);
            apply(r, f);
            r.setCreatedBy(createdBy);
            r.store();
            r.refresh();
            return toPetition(r);
        } catch (IntegrityConstraintViolationException e) {
            throw new SlugTaken();
        }
    }

    public Optional<Petition> update(long id, PetitionForm f) {
        try {
            PetitionsRecord r = dsl.selectFrom(PETITIONS).where(PETITIONS.ID.eq(id)).fetchOne();
            if (r == null) return Optional.empty();
            apply(r, f);
            r.setUpdatedAt(OffsetDateTime.now());
            r.store();
            return Optional.of(toPetition(r));
        } catch (IntegrityConstraintViolationException e) {
            throw new SlugTaken();
        }
    }

    public void setStatus(long id, PetitionStatus status) {
        dsl.update(PETITIONS).set(PETITIONS.STATUS, status.value()).set(PETITIONS.UPDATED_AT, OffsetDateTime.now())
                .where(PETITIONS.ID.eq(id)).execute();
    }

    public Optional<Petition> find(long id) {
        return dsl.selectFrom(PETITIONS).where(PETITIONS.ID.eq(id)).fetchOptional(PetitionRepository::toPetition);
    }

    public Optional<Petition> findBySlug(String slug) {
        return dsl.selectFrom(PETITIONS).where(PETITIONS.SLUG.eq(slug)).fetchOptional(PetitionRepository::toPetition);
    }

    /** A petition as the public may see it: only inside a live or closed campaign. */
    public Optional<Petition> findPublicBySlug(String slug) {
        return dsl.select(PETITIONS.asterisk()).from(PETITIONS)
                .join(org.convoca.db.schema.Tables.CAMPAIGNS).on(org.convoca.db.schema.Tables.CAMPAIGNS.ID.eq(PETITIONS.CAMPAIGN_ID))
                .where(PETITIONS.SLUG.eq(slug))
                .and(org.convoca.db.schema.Tables.CAMPAIGNS.STATUS.in("live", "closed"))
                .fetchOptional(r -> toPetition(r.into(PETITIONS)));
    }

    public List<Petition> byCampaign(long campaignId) {
        return dsl.selectFrom(PETITIONS).where(PETITIONS.CAMPAIGN_ID.eq(campaignId)).orderBy(PETITIONS.ID.desc())
                .fetch(PetitionRepository::toPetition);
    }

    /** Open and closed petitions of a campaign, for its public page. */
    public List<Petition> publicByCampaign(long campaignId) {
        return dsl.selectFrom(PETITIONS).where(PETITIONS.CAMPAIGN_ID.eq(campaignId))
                .and(PETITIONS.STATUS.in(PetitionStatus.OPEN.value(), PetitionStatus.CLOSED.value()))
                .orderBy(PETITIONS.STATUS.desc(), PETITIONS.ID.desc())
                .fetch(PetitionRepository::toPetition);
    }

    /** Newest first, one page, with the total from a window count in the same query. */
    public Paged<Petition> list(int page, int perPage) {
        var total = DSL.count().over().as("total");
        var rows = dsl.select(PETITIONS.asterisk(), total).from(PETITIONS)
                .orderBy(PETITIONS.ID.desc()).limit(perPage).offset((page - 1) * perPage).fetch();
        int count = rows.isEmpty() ? (page == 1 ? 0 : dsl.fetchCount(PETITIONS)) : rows.get(0).get(total);
        return new Paged<>(rows.map(PetitionRepository::toPetition), count, page, perPage);
    }

    /**
     * total_signatures: confirmed signatures, which are distinct people by the unique constraint.
     * Counted, never cached, so it is exact at every moment (an index-only scan on the partial index).
     */
    public long count(long petitionId) {
        return dsl.selectCount().from(SIGNATURES).where(confirmed(petitionId)).fetchSingle().value1();
    }

    static Condition confirmed(long petitionId) {
        return SIGNATURES.PETITION_ID.eq(petitionId).and(SIGNATURES.STATUS.eq(SignatureStatus.CONFIRMED.value()));
    }

    private static void apply(PetitionsRecord r, PetitionForm f) {
        r.setTitle(f.title().strip());
        r.setTitleEs(f.titleEs().strip());
        r.setSlug(f.effectiveSlug());
        r.setDescription(f.description());
        r.setDescriptionEs(f.descriptionEs());
        r.setPetitionText(f.petitionText());
        r.setPetitionTextEs(f.petitionTextEs());
        r.setTargets(JSONB.valueOf(write(f.targetList())));
        r.setSignatureGoal(f.goal());
        r.setAutoRaiseGoal(f.autoRaiseGoal());
        r.setThankYou(f.thankYou().strip());
        r.setThankYouEs(f.thankYouEs().strip());
        r.setShareText(f.shareText().strip());
        r.setShareTextEs(f.shareTextEs().strip());
        r.setStatus(f.statusValue().value());
        r.setAskPhone(f.askPhone());
        r.setAskPostalCode(f.askPostalCode());
        r.setAskSchool(f.askSchool());
        r.setAskComment(f.askComment());
        r.setDoubleOptIn(f.doubleOptIn());
    }

    static Petition toPetition(Record rec) {
        PetitionsRecord r = rec.into(PETITIONS);
        return new Petition(r.getId(), r.getCampaignId(), r.getSlug(), r.getTitle(), r.getTitleEs(), r.getDescription(),
                r.getDescriptionEs(), r.getPetitionText(), r.getPetitionTextEs(), read(r.getTargets()),
                r.getSignatureGoal(), r.getAutoRaiseGoal(), r.getThankYou(), r.getThankYouEs(), r.getShareText(),
                r.getShareTextEs(), PetitionStatus.parse(r.getStatus()).orElseThrow(), r.getAskPhone(),
                r.getAskPostalCode(), r.getAskSchool(), r.getAskComment(), r.getDoubleOptIn(), r.getCreatedAt(),
                r.getUpdatedAt());
    }

    private static String write(List<Target> targets) {
        try {
            return Json.MAPPER.writeValueAsString(targets);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<Target> read(JSONB json) {
        try {
            return json == null ? List.of() : Json.MAPPER.readValue(json.data(), new TypeReference<List<Target>>() { });
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
