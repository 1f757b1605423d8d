package org.convoca.petition;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convoca.campaign.CampaignRepository;
import org.convoca.db.AppSecrets;
import org.convoca.web.Access;
import org.convoca.web.FieldError;
import org.convoca.web.Json;
import org.convoca.web.Lang;
import org.convoca.web.Paged;
import org.convoca.web.Problem;

/**
 * {@code /api/v1/petitions} (list, create, read, partial update) and its {@code signatures}: the
 * list (JSON or streamed CSV) and OSDI's record-signature helper. No per-address form limits here:
 * API callers hold a token.
 */
public final class PetitionApi {
    private final PetitionRepository petitions;
    private final SignatureRepository signatures;
    private final CampaignRepository campaigns;
    private final Signing signing;
    private final ShareLinks share;
    private final AppSecrets secrets;
    private final String baseUrl;
    private final String phoneRegion;

    public PetitionApi(PetitionRepository petitions, SignatureRepository signatures, CampaignRepository campaigns,
                       Signing signing, ShareLinks share, AppSecrets secrets, String baseUrl, String phoneRegion) {
        this.petitions = petitions;
        this.signatures = signatures;
        this.campaigns = campaigns;
        this.signing = signing;
        this.share = share;
        this.secrets = secrets;
        this.baseUrl = baseUrl;
        this.phoneRegion = phoneRegion;
    }

    public void list(Context ctx) {
        int[] p = Paged.params(ctx, 25);
        ctx.json(petitions.list(p[0], p[1]).osdi("petitions", this::toJson));
    }

    public void read(Context ctx) {
        ctx.json(toJson(load(ctx)));
    }

    public void create(Context ctx) {
        JsonNode body = Json.body(ctx);
        JsonNode cid = body.get("campaign_id");
        if (cid == null || !cid.canConvertToLong() || campaigns.find(cid.asLong()).isEmpty()) {
            throw Problem.validation(List.of(new Problem.Error("campaign_id", "must be the id of an existing campaign")));
        }
        PetitionForm form = PetitionForm.from(body, PetitionForm.empty());
        validate(form);
        try {
            Petition p = petitions.create(cid.asLong(), form, Access.principal(ctx).map(x -> x.user().id()).orElse(null));
            ctx.status(201).header("Location", baseUrl + "/api/v1/petitions/" + p.id()).json(toJson(p));
        } catch (PetitionRepository.SlugTaken e) {
            throw slugTaken();
        }
    }

    public void update(Context ctx) {
        Petition existing = load(ctx);
        PetitionForm form = PetitionForm.from(Json.body(ctx), PetitionForm.of(existing));
        validate(form);
        try {
            ctx.json(toJson(petitions.update(existing.id(), form).orElseThrow(() -> Problem.notFound("Petition"))));
        } catch (PetitionRepository.SlugTaken e) {
            throw slugTaken();
        }
    }

    public void signatures(Context ctx) {
        Petition p = load(ctx);
        if (SignatureCsv.wanted(ctx)) {
            SignatureCsv.stream(ctx, signatures, p);
            return;
        }
        int[] pg = Paged.params(ctx, 25);
        ctx.json(signatures.list(p.id(), null, pg[0], pg[1]).osdi("signatures", r -> signatureJson(p, r)));
    }

    /** OSDI record signature helper: {@code {person, comments, referrer_data: {referrer}}}. */
    public void recordSignature(Context ctx) {
        Petition p = load(ctx);
        if (p.status() == PetitionStatus.CLOSED) {
            throw new Problem(409, "Conflict", "The petition is closed");
        }
        SignatureInput in = SignatureInput.fromOsdi(Json.body(ctx));
        List<FieldError> errors = in.validate(p, phoneRegion);
        if (!errors.isEmpty()) {
            throw Problem.validation(errors.stream().map(e -> new Problem.Error(jsonField(e.field()),
                    Problem.describe(e.key()))).toList());
        }
        Signing.Result r = signing.sign(p, in, "api", secrets.hmac(ctx.ip()), Lang.EN);
        if (r.outcome() == Signing.Outcome.CLOSED) throw new Problem(409, "Conflict", "The petition is closed");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("petition_id", p.id());
        out.put("status", switch (r.outcome()) {
            case SIGNED -> "confirmed";
            case PENDING -> "pending";
            case ALREADY_SIGNED -> "already_signed";
            case CLOSED, RATE_LIMITED -> throw new IllegalStateException("answered above; the API is not limited per address");
        });
        if (r.signatureId() != null) out.put("identifiers", List.of("convoca:" + r.signatureId()));
        out.put("total_signatures", petitions.count(p.id()));
        ctx.status(r.outcome() == Signing.Outcome.ALREADY_SIGNED ? 200 : 201).json(out);
    }

    Map<String, Object> toJson(Petition p) {
        Map<String, Object> m = new LinkedHashMap<>();
        long count = petitions.count(p.id());
        m.put("identifiers", List.of("convoca:" + p.id()));
        m.put("id", p.id());
        m.put("created_date", p.createdAt());
        m.put("modified_date", p.updatedAt());
        m.put("campaign_id", p.campaignId());
        m.put("slug", p.slug());
        m.put("title", p.title());
        m.put("title_es", p.titleEs());
        m.put("description", p.description());
        m.put("description_es", p.descriptionEs());
        m.put("petition_text", p.petitionText());
        m.put("petition_text_es", p.petitionTextEs());
        m.put("target", p.targets().stream().map(t -> Map.of("name", t.name(), "title", t.title())).toList());
        m.put("signature_goal", p.signatureGoal());
        m.put("auto_raise_goal", p.autoRaiseGoal());
        m.put("display_goal", p.displayGoal(count));
        m.put("total_signatures", count);
        m.put("thank_you", p.thankYou());
        m.put("thank_you_es", p.thankYouEs());
        m.put("share_text", p.shareText());
        m.put("share_text_es", p.shareTextEs());
        m.put("status", p.statusValue());
        m.put("ask_phone", p.askPhone());
        m.put("ask_postal_code", p.askPostalCode());
        m.put("ask_school", p.askSchool());
        m.put("ask_comment", p.askComment());
        m.put("double_opt_in", p.doubleOptIn());
        if (p.status().isPublic()) m.put("browser_url", share.pageUrl(p));
        return m;
    }

    private Map<String, Object> signatureJson(Petition p, SignatureRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifiers", List.of("convoca:" + r.id()));
        m.put("created_date", r.createdAt());
        m.put("modified_date", r.confirmedAt() == null ? r.createdAt() : r.confirmedAt());
        m.put("petition_id", p.id());
        m.put("person_id", r.personId());
        m.put("status", r.status());
        m.put("comments", r.comments());
        m.put("source", r.source());
        m.put("person", Map.of("given_name", r.givenName(), "family_name", r.familyName(),
                "email_addresses", List.of(Map.of("address", r.email(), "primary", true)),
                "postal_addresses", r.postalCode().isBlank() ? List.of() : List.of(Map.of("postal_code", r.postalCode()))));
        return m;
    }

    private static void validate(PetitionForm form) {
        List<FieldError> errors = form.validate();
        if (!errors.isEmpty()) {
            throw Problem.validation(errors.stream().map(e -> new Problem.Error(jsonField(e.field()),
                    Problem.describe(e.key()))).toList());
        }
    }

    private static String jsonField(String formField) {
        return switch (formField) {
            case "targets" -> "target";
            case "given_name", "family_name", "email", "postal_code", "phone", "language" -> "person." + formField;
            case "ref" -> "referrer_data.referrer";
            default -> formField;
        };
    }

    private static Problem slugTaken() {
        return new Problem(409, "Conflict", "Another petition already uses this slug",
                List.of(new Problem.Error("slug", "is already used by another petition")));
    }

    private Petition load(Context ctx) {
        try {
            return petitions.find(Long.parseLong(ctx.pathParam("id"))).orElseThrow(() -> Problem.notFound("Petition"));
        } catch (NumberFormatException e) {
            throw Problem.notFound("Petition");
        }
    }
}
