package org.convoca.supporter;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the people search index's pending list (GIN fastupdate) into the index, from a
 * background thread of its own, twice a second.
 *
 * <p>New people's trigrams go to a pending list first, and whichever insert finds the list over
 * its limit (256 kB, V082) merges all of it before it returns. That insert is usually the
 * signature writer's, and the merge was 2% of the machine in its backend (perf). While a petition
 * was signed at 2,000 a second, a sampler saw no signature committed for 0.35–0.46 s every couple
 * of seconds, and such stalls make a burst's slowest requests (bench/petitions, session 7). Merged
 * here, the list stays under its limit, the writer only
 * appends to it, and the merge runs on another connection (and core) at the same time; the merge
 * an insert would make stays as the fallback. Several instances may each run this: a second merge
 * waits for the first, then finds little to do.
 */
public final class SearchIndexUpkeep implements Runnable {
    public static final long EVERY_MILLIS = 500;
    private static final Logger log = LoggerFactory.getLogger(SearchIndexUpkeep.class);
    private final DSLContext dsl;
    /** Said once when the database stops answering, not twice a second for the whole outage. */
    private boolean failing;

    public SearchIndexUpkeep(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** For the scheduler: merges, and never throws. */
    @Override
    public void run() {
        try {
            mergePending();
            if (failing) log.info("Search index upkeep resumed");
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) log.warn("Search index upkeep skipped until the database answers: {}", e.getClass().getSimpleName());
            failing = true;
        }
    }

    /** Merges the pending list now; the pending pages merged (0 without pg_trgm's index). */
    public long mergePending() {
        // to_regclass is null where the index is absent (no pg_trgm), and the function is strict.
        Long pages = dsl.select(DSL.function("gin_clean_pending_list", SQLDataType.BIGINT,
                        DSL.function("to_regclass", SQLDataType.OTHER, DSL.inline("people_search_trgm_idx"))))
                .fetchOne(0, Long.class);
        return pages == null ? 0 : pages;
    }
}
