-- Email to the list: a message (one blast) and one delivery row per recipient.
-- The audience is expanded once, in one INSERT … SELECT, into message_deliveries; the unique
-- (message_id, person_id) makes that expansion idempotent, so a retried "send" or two instances
-- starting a scheduled message together still give each person one row, hence one email.

create table messages (
    id            bigint generated always as identity primary key,
    subject       text not null check (length(subject) between 1 and 250),
    preheader     text not null default '',
    body          text not null,                 -- Markdown with Pebble merge fields
    subject_es    text,                          -- optional Spanish version, for Spanish speakers
    body_es       text,
    preheader_es  text,
    from_name     text not null default '',      -- blank: the organization's sender
    from_address  text not null default '',
    reply_to      text not null default '',
    tracking      boolean not null default true,
    status        text not null default 'draft'
                  check (status in ('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled')),
    scheduled_at  timestamptz,
    targets       jsonb not null default '[]',   -- [{"list": id} | {"tag": "name"} | {"segment": id}]
    exclusions    jsonb not null default '[]',   -- same shapes, removed from the audience
    total         int not null default 0,        -- deliveries created when sending started
    started_at    timestamptz,
    finished_at   timestamptz,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
create index messages_due_idx on messages (scheduled_at) where status = 'scheduled';

create table message_deliveries (
    id              bigint generated always as identity primary key,
    message_id      bigint not null references messages (id) on delete cascade,
    person_id       bigint not null references people (id) on delete cascade,
    status          text not null default 'queued' check (status in ('queued', 'sent', 'failed', 'skipped')),
    attempts        int not null default 0,
    next_attempt_at timestamptz not null default now(),
    locked_until    timestamptz,                 -- lease of the worker that claimed it
    last_error      text,
    smtp_message_id text,
    sent_at         timestamptz,
    opened_at       timestamptz,
    clicked_at      timestamptz,
    unsubscribed_at timestamptz,
    unique (message_id, person_id)
);
-- Workers only look for queued rows of a message, in id order: a small, shrinking slice of a
-- big table, read in index order so a claim never sorts the whole queue.
create index message_deliveries_queued_idx on message_deliveries (message_id, id)
    where status = 'queued';
create index message_deliveries_person_idx on message_deliveries (person_id);

-- The links that were in a message: a click redirect only ever goes to one of these (by id,
-- behind a signature), so the tracker can never be used as an open redirect.
create table message_links (
    id         bigint generated always as identity primary key,
    message_id bigint not null references messages (id) on delete cascade,
    url        text not null,
    clicks     int not null default 0,
    unique (message_id, url)
);

-- MAIL_RATE across all instances: a fixed one-second window per row. A sender takes a permit by
-- incrementing the current second's counter only while it stays under the rate (one UPSERT).
create table mail_rate_windows (
    second bigint primary key,                   -- epoch second
    sent   int not null
);
