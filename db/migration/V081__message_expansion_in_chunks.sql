-- A started message is queued chunk by chunk, each chunk of people ids committed on its own, so
-- blast workers send the first chunks while the rest is queued (in one transaction, queueing
-- 100,000 people took 2-4 s during which no email could leave). While the expansion runs,
-- people ids above expanded_through and up to expand_until (the highest id when sending started:
-- people added later are not part of the send) are still to be queued; both are null once it is
-- done. expanded_at is when the last chunk was committed: an expansion idle for a while was cut
-- off by a crash and any instance takes it up again (the unique (message_id, person_id) keeps a
-- repeated chunk from queueing anyone twice).
alter table messages
    add column expanded_through bigint,
    add column expand_until bigint,
    add column expanded_at timestamptz;

-- The scheduler looks for unfinished expansions every few hundred emails: only those rows.
create index messages_expanding_idx on messages (id) where expand_until is not null;
