-- A queued email (subject, text and HTML parts, about 2.5 kB for a thank-you) is just over the
-- 2 kB at which PostgreSQL compresses a row's long values or moves them out of line. Compressing
-- every thank-you email costs the signing path CPU for little: the row is read once by the sender,
-- and pruned later. Rows up to a page now stay inline and uncompressed; a longer email (a long
-- letter) is still compressed or moved out of line as before.
alter table outbox set (toast_tuple_target = 8160);
