package org.convoca.petition;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.convoca.web.HtmlError;

/**
 * Public petitions by slug, kept for a second, for the sign form: a burst of signers would
 * otherwise read the same row hundreds of times a second. A second-old copy is safe there because
 * the signature writer checks in its own transaction that the petition was not closed meanwhile.
 */
final class PetitionCache {
    static final long TTL_MILLIS = 1_000;
    /** Slugs are checked against this many entries at most: a scan of made-up slugs cannot grow it. */
    static final int MAX_ENTRIES = 1_000;

    private record Entry(Optional<Petition> petition, long at) {
    }

    private final PetitionRepository petitions;
    private final ConcurrentHashMap<String, Entry> bySlug = new ConcurrentHashMap<>();

    PetitionCache(PetitionRepository petitions) {
        this.petitions = petitions;
    }

    /** The public petition (live or closed campaign, open or closed petition), or a 404. */
    Petition load(String slug) {
        long now = System.currentTimeMillis();
        Entry e = bySlug.get(slug);
        if (e == null || now - e.at() > TTL_MILLIS) {
            e = new Entry(petitions.findPublicBySlug(slug).filter(p -> p.status().isPublic()), now);
            if (bySlug.size() >= MAX_ENTRIES) bySlug.clear();
            bySlug.put(slug, e);
        }
        return e.petition().orElseThrow(HtmlError::notFound);
    }
}
