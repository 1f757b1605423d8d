-- Indexes shaped for segment counts, checked with EXPLAIN (ANALYZE, BUFFERS) on the benchmark's
-- 1,000,000 people and 5,000,000 activities (bench/people/README.md).

-- An OR of activity filters ("signed petition 3 OR attended event 5") compiles to
-- people.id in (select person_id … where kind = … and subject_id in (…) union all …). With person_id
-- in the index each branch is an index-only scan of one (kind, subject) range; with (kind,
-- subject_id) alone PostgreSQL read the matching rows from the heap, one random page per signer
-- (37,000 pages for one petition). The new index serves every lookup the old one did (same prefix).
create index activities_kind_subject_person_idx on activities (kind, subject_id, person_id);
drop index activities_kind_subject_idx;

-- Segment counts end by checking each candidate against the live people. Carrying the small
-- columns that segments filter on most (language, email status, events attended) in the live-id
-- index lets that check run index-only (a probe per candidate, no heap page), where the heap of a
-- million people does not fit in shared buffers. It replaces V022's id-only index.
create index people_live_segment_idx on people (id) include (language, email_status, events_attended)
    where erased_at is null;
drop index people_live_id_idx;
