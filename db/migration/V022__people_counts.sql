-- Segment counts touch every live person: a narrow partial index on their ids lets "count the
-- people in this segment" run as an index-only scan when the filters only need the id (tags,
-- lists, activity filters), instead of reading the whole people heap.
create index people_live_id_idx on people (id) where erased_at is null;
