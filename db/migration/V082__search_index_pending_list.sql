-- The trigram index behind people search takes new entries into a pending list (GIN's
-- fastupdate) and merges them into the index when the list passes gin_pending_list_limit
-- (4 MB by default). The merge runs in whichever backend's insert crossed the limit: with
-- signatures arriving in batches, one batch every few thousand signers waited for a merge of
-- thousands of people's trigrams, and its signers' requests are a petition burst's slowest.
-- A 256 kB list is merged sixteen times as often, each merge about a sixteenth as long; the
-- index is the same. (Absent when pg_trgm was not available.)
do $$
begin
    if to_regclass('people_search_trgm_idx') is not null then
        alter index people_search_trgm_idx set (gin_pending_list_limit = 256);
    end if;
end
$$;
