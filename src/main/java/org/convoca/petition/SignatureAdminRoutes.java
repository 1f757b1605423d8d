package org.convoca.petition;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convoca.web.HtmlError;
import org.convoca.web.Paged;
import org.convoca.web.Views;

/** Organizer views of a petition's signatures: the searchable list, the CSV, the delivery document. */
public final class SignatureAdminRoutes {
    /** The delivery document lists this many names; beyond, it says how many more signed. */
    static final int DELIVERY_NAMES = 20_000;

    private final PetitionRepository petitions;
    private final SignatureRepository signatures;
    private final Views views;

    public SignatureAdminRoutes(PetitionRepository petitions, SignatureRepository signatures, Views views) {
        this.petitions = petitions;
        this.signatures = signatures;
        this.views = views;
    }

    public void list(Context ctx) {
        Petition p = load(ctx);
        int[] pg = Paged.params(ctx, 50);
        String q = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").strip();
        Map<String, Object> m = new HashMap<>();
        m.put("petition", p);
        m.put("q", q);
        m.put("page", signatures.list(p.id(), q, pg[0], pg[1]));
        m.put("count", petitions.count(p.id()));
        views.render(ctx, "petition/admin_signatures", m);
    }

    public void csv(Context ctx) {
        SignatureCsv.stream(ctx, signatures, load(ctx));
    }

    /** A printable page for the target: the petition text, the count, signers' names and comments. */
    public void delivery(Context ctx) {
        Petition p = load(ctx);
        List<String> names = new ArrayList<>();
        List<Map<String, String>> comments = new ArrayList<>();
        signatures.forEach(p.id(), true, r -> {
            if (names.size() < DELIVERY_NAMES) names.add(r.name());
            if (!r.comments().isBlank() && comments.size() < DELIVERY_NAMES) {
                comments.add(Map.of("name", r.name(), "text", r.comments()));
            }
        });
        long count = petitions.count(p.id());
        Map<String, Object> m = new HashMap<>();
        m.put("petition", p);
        m.put("count", count);
        m.put("names", names);
        m.put("more", Math.max(0, count - names.size()));
        m.put("comments", comments);
        m.put("targets", String.join("; ", p.targetLabels()));
        views.render(ctx, "petition/delivery", m);
    }

    private Petition load(Context ctx) {
        return petitions.find(PetitionAdminRoutes.id(ctx)).orElseThrow(HtmlError::notFound);
    }
}
