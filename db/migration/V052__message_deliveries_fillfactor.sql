-- A blast touches each delivery row three times: queued on expansion, leased by a worker
-- (locked_until, attempts), then marked sent. The lease changes no indexed column, so with free
-- room on the page PostgreSQL can write it as a heap-only tuple and skip all four indexes; at the
-- default fillfactor of 100 the pages are full after expansion and every lease rewrote the indexes.
-- Measured with bench/mail while petition signing ran on the same database (bench/mail/README.md).
alter table message_deliveries set (fillfactor = 60);
