package org.convoca.mail;

import static org.convoca.db.schema.Tables.OUTBOX_BODIES;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;

/**
 * Bodies that many queued emails share, stored once ({@code outbox_bodies}, V083): a queued email
 * points to one and carries only the values for its markers ({@link BodyFills}). Bodies never
 * change once stored, so both directions are cached for good (bounded: a new petition text makes
 * a new body, an old one is read again when needed).
 */
public final class OutboxBodies {
    private static final int MAX_CACHED = 1_000;

    /** A stored body: its parts hold the markers, each replaced by that email's value when expanded. */
    public record Body(long id, List<String> markers, String text, String html) {
        /** The text part with {@code fills} (one a marker, in the markers' order) in place. */
        public String text(List<String> fills) {
            return expand(text, markers, fills);
        }

        /** The HTML part (null if the body has none) with {@code fills} in place, given already escaped. */
        public String html(List<String> fills) {
            return html == null ? null : expand(html, markers, fills);
        }
    }

    private final DSLContext dsl;
    private final Map<String, Long> idsByDigest = new ConcurrentHashMap<>();
    private final Map<Long, Body> byId = new ConcurrentHashMap<>();

    public OutboxBodies(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * The id of the body with these markers and parts, stored now if it is new. It is written and
     * committed on a connection of its own, so that it exists whatever becomes of the caller's
     * transaction (a signature batch that is rolled back and written again finds it stored).
     */
    public long store(List<String> markers, String text, String html) {
        String digest = digest(markers, text, html);
        Long known = idsByDigest.get(digest);
        if (known != null) return known;
        // ON CONFLICT DO NOTHING returns no row when another instance stored it first.
        Long id = dsl.insertInto(OUTBOX_BODIES, OUTBOX_BODIES.DIGEST, OUTBOX_BODIES.MARKERS, OUTBOX_BODIES.TEXT_BODY,
                        OUTBOX_BODIES.HTML_BODY)
                .values(digest, markers.toArray(String[]::new), text, html)
                .onConflict(OUTBOX_BODIES.DIGEST).doNothing()
                .returningResult(OUTBOX_BODIES.ID)
                .fetchOptional(OUTBOX_BODIES.ID)
                .orElseGet(() -> dsl.select(OUTBOX_BODIES.ID).from(OUTBOX_BODIES).where(OUTBOX_BODIES.DIGEST.eq(digest))
                        .fetchSingle(OUTBOX_BODIES.ID));
        if (idsByDigest.size() > MAX_CACHED) idsByDigest.clear();
        idsByDigest.put(digest, id);
        return id;
    }

    /** The bodies with these ids (one query for those not cached yet). */
    public Map<Long, Body> load(Collection<Long> ids) {
        List<Long> missing = new ArrayList<>();
        for (Long id : ids) if (id != null && !byId.containsKey(id)) missing.add(id);
        if (!missing.isEmpty()) {
            if (byId.size() > MAX_CACHED) byId.clear();
            dsl.selectFrom(OUTBOX_BODIES).where(OUTBOX_BODIES.ID.in(missing)).forEach(r -> byId.put(r.getId(),
                    new Body(r.getId(), List.of(r.getMarkers()), r.getTextBody(), r.getHtmlBody())));
        }
        Map<Long, Body> out = new java.util.HashMap<>();
        for (Long id : ids) {
            Body b = id == null ? null : byId.get(id);
            if (b != null) out.put(id, b);
        }
        return out;
    }

    /** The email as it will be sent: a stored body's parts with its values in place; others unchanged. */
    public OutgoingEmail expanded(OutgoingEmail e) {
        if (e.fills() == null) return e;
        Body b = load(List.of(e.fills().bodyId())).get(e.fills().bodyId());
        if (b == null) throw new IllegalStateException("outbox body " + e.fills().bodyId() + " is missing");
        return new OutgoingEmail(e.kind(), e.dedupeKey(), e.toAddress(), e.toName(), e.replyTo(), e.subject(),
                b.text(e.fills().text()), b.html(e.fills().html()), e.headers(), e.fromName());
    }

    /**
     * One pass, left to right: each marker found in {@code part} gives way to its value, and the
     * values themselves are never searched again (a signer's name that happens to contain a marker
     * stays as typed).
     */
    static String expand(String part, List<String> markers, List<String> fills) {
        if (fills.size() != markers.size()) throw new IllegalArgumentException("one value a marker expected");
        StringBuilder out = new StringBuilder(part.length() + 64);
        int from = 0;
        while (true) {
            int at = -1;
            int which = -1;
            for (int i = 0; i < markers.size(); i++) {
                int found = part.indexOf(markers.get(i), from);
                if (found >= 0 && (at < 0 || found < at)) {
                    at = found;
                    which = i;
                }
            }
            if (at < 0) break;
            out.append(part, from, at).append(fills.get(which));
            from = at + markers.get(which).length();
        }
        return out.append(part, from, part.length()).toString();
    }

    private static String digest(List<String> markers, String text, String html) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String m : markers) update(sha, m);
            update(sha, text);
            update(sha, html == null ? "\u0000null" : html);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Length-prefixed, so that no two different lists of strings hash alike. */
    private static void update(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
        sha.update(b);
    }
}
