-- Foundation: organization settings, staff accounts, sessions, API keys, campaigns, mail outbox.
-- Emails are stored as given and matched on a normalised (trimmed, lower-cased) column with a
-- unique index, so "Ana@X.org " and "ana@x.org" are one account.

create table organization (
    id               int primary key default 1 check (id = 1),  -- exactly one row
    name             text not null,
    postal_address   text not null default '',
    sender_email     text not null,
    sender_name      text not null default '',
    default_language text not null default 'en' check (default_language in ('en', 'es')),
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);
-- A placeholder sender until an admin sets the real one (example.org is reserved for examples).
insert into organization (name, sender_email) values ('Convoca', 'convoca@example.org');

-- Secrets generated on first start and shared by every instance (HMAC keys for hashing client
-- addresses and signing links). Kept in the database so instances agree without configuration.
create table app_secrets (
    name       text primary key,
    value      text not null,
    created_at timestamptz not null default now()
);

create table users (
    id               bigint generated always as identity primary key,
    email            text not null,
    email_normalized text not null unique,
    name             text not null default '',
    role             text not null check (role in ('admin', 'organizer', 'leader')),
    password_hash    text not null,
    language         text not null default 'en' check (language in ('en', 'es')),
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);

-- A session row per signed-in browser. The cookie holds a random token; only its SHA-256 is
-- stored, so a leaked database dump cannot be replayed as a login.
create table sessions (
    token_hash   text primary key,
    user_id      bigint not null references users (id) on delete cascade,
    csrf_token   text not null,
    created_at   timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at   timestamptz not null
);
create index sessions_user_id_idx on sessions (user_id);
create index sessions_expires_at_idx on sessions (expires_at);

-- Failed logins, kept in PostgreSQL so throttling holds across instances. The key is the
-- normalised email or a hash of the client address; never the raw IP.
create table login_failures (
    id           bigint generated always as identity primary key,
    throttle_key text not null,
    failed_at    timestamptz not null default now()
);
create index login_failures_key_time_idx on login_failures (throttle_key, failed_at);

create table password_resets (
    token_hash text primary key,
    user_id    bigint not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at    timestamptz
);

create table api_keys (
    id           bigint generated always as identity primary key,
    user_id      bigint not null references users (id) on delete cascade,
    name         text not null default '',
    token_hash   text not null unique,
    token_prefix text not null,  -- first characters, shown in lists so people can tell keys apart
    created_at   timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

create table campaigns (
    id             bigint generated always as identity primary key,
    slug           text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title          text not null,
    title_es       text not null default '',
    summary        text not null default '',
    summary_es     text not null default '',
    description    text not null default '',  -- Markdown
    description_es text not null default '',
    target_names   text[] not null default '{}',
    status         text not null default 'draft' check (status in ('draft', 'live', 'closed', 'archived')),
    start_date     date,
    end_date       date,
    image_url      text,
    created_by     bigint references users (id) on delete set null,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    check (end_date is null or start_date is null or end_date >= start_date)
);

-- The mail outbox. Every email is inserted here in the same transaction as the event that
-- causes it; senders claim rows with FOR UPDATE SKIP LOCKED, so several instances share the work.
-- A claimed row carries a lease (locked_until): if its sender dies, the row is claimed again
-- after the lease runs out instead of being lost.
create table outbox (
    id              bigint generated always as identity primary key,
    kind            text not null,           -- e.g. password_reset, petition_thanks
    dedupe_key      text unique,             -- makes "send once" writes idempotent
    to_address      text not null,
    to_name         text not null default '',
    from_address    text,                    -- null: organization sender
    from_name       text,
    reply_to        text,
    subject         text not null,
    text_body       text not null,
    html_body       text,
    headers         jsonb not null default '{}',
    status          text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
    attempts        int not null default 0,
    next_attempt_at timestamptz not null default now(),
    locked_until    timestamptz,
    last_error      text,
    message_id      text,
    created_at      timestamptz not null default now(),
    sent_at         timestamptz
);
-- Partial index: the sender only ever looks for work, which is a small slice of the table.
create index outbox_due_idx on outbox (next_attempt_at, id) where status in ('queued', 'sending');
create index outbox_created_idx on outbox (created_at desc);
