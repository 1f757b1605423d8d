-- Imports stage the whole file before merging (see ImportJob): rows are parsed and checked once,
-- copied into import_rows with COPY, then merged into people in large chunks by their position in
-- the file (seq). The staged rows of an interrupted import are thrown away and staged again on
-- resume (import_rows is unlogged, so a server crash may have emptied it anyway): the file and
-- processed_rows, the last merged position, are the only state a resume relies on.
truncate import_rows;
alter table import_rows add column seq integer not null;
drop index import_rows_email_idx;
-- Chunks are read by position; rows arrive in that order, so the index only ever appends.
create index import_rows_seq_idx on import_rows (import_id, seq);

-- How many times a worker has claimed the import: one that keeps killing its worker (or the
-- machine) is reported failed instead of being retried forever.
alter table imports add column attempts integer not null default 0;
