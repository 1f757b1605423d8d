-- The bounce inbox: what the poller learned from mail returned to a blast's VERP return path
-- (bounces+<signed delivery id>@BOUNCE_DOMAIN) or sent to its mailto unsubscribe address.
-- One row per delivery and kind: the unique key makes processing idempotent, so a message read
-- twice (a crash between commit and expunge, or two pollers after a lease ran out) changes nothing
-- the second time, and a soft bounce is counted once per delivery.
create table inbound_mail_events (
    id          bigint generated always as identity primary key,
    delivery_id bigint not null references message_deliveries (id) on delete cascade,
    person_id   bigint not null references people (id) on delete cascade,
    kind        text not null check (kind in ('hard_bounce', 'soft_bounce', 'complaint', 'unsubscribe')),
    status      text not null default '',    -- the DSN status code (5.1.1) or ARF feedback type
    created_at  timestamptz not null default now(),
    unique (delivery_id, kind)
);
-- "Several soft bounces lately" reads one person's recent soft bounces.
create index inbound_mail_events_soft_idx on inbound_mail_events (person_id, created_at)
    where kind = 'soft_bounce';

-- Jobs that must run on one instance at a time (the inbox poller): a lease row per job, taken
-- with one UPSERT that succeeds only when the lease is free, expired or already ours. A lease
-- rather than an advisory lock, because a pooled connection cannot be held across mailbox I/O.
create table job_leases (
    name         text primary key,
    holder       text not null,
    locked_until timestamptz not null
);
