-- Petitions and their signatures. A signature is one person on one petition: the unique
-- (petition_id, person_id) constraint is what makes "sign once" hold under any concurrency,
-- and people are already one row per normalised email, so "Ana@X.org " signs as "ana@x.org".

create table petitions (
    id               bigint generated always as identity primary key,
    campaign_id      bigint not null references campaigns (id) on delete cascade,
    slug             text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title            text not null,
    title_es         text not null default '',
    description      text not null default '',  -- Markdown
    description_es   text not null default '',
    petition_text    text not null default '',  -- the words delivered to the target
    petition_text_es text not null default '',
    targets          jsonb not null default '[]',  -- [{"name": …, "title": …}]
    signature_goal   int not null default 100 check (signature_goal between 1 and 100000000),
    auto_raise_goal  boolean not null default true,  -- show the next milestone once the goal is met
    thank_you        text not null default '',
    thank_you_es     text not null default '',
    share_text       text not null default '',
    share_text_es    text not null default '',
    status           text not null default 'draft' check (status in ('draft', 'open', 'closed')),
    ask_phone        boolean not null default false,
    ask_postal_code  boolean not null default true,
    ask_school       boolean not null default false,
    ask_comment      boolean not null default true,
    double_opt_in    boolean not null default false,
    created_by       bigint references users (id) on delete set null,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);
create index petitions_campaign_idx on petitions (campaign_id, id);

create table signatures (
    id               bigint generated always as identity primary key,
    petition_id      bigint not null references petitions (id) on delete cascade,
    person_id        bigint not null references people (id) on delete cascade,
    status           text not null check (status in ('pending', 'confirmed')),
    comments         text not null default '',
    school           text not null default '',
    public_display   boolean not null default false,  -- may the page show "Ana R."
    referrer_id      bigint references people (id) on delete set null,
    source           text not null default 'form' check (source in ('form', 'embed', 'api')),
    ip_hash          text,         -- HMAC of the client address, never the address
    language         text not null default 'en' check (language in ('en', 'es')),
    token_hash       text unique,  -- SHA-256 of the double opt-in link token; cleared once used
    token_expires_at timestamptz,
    created_at       timestamptz not null default now(),
    confirmed_at     timestamptz,
    unique (petition_id, person_id),
    check ((status = 'confirmed') = (confirmed_at is not null))
);
-- The count (total_signatures) is count(*) over this partial index: exact, and an index-only
-- scan. The same index serves "recent signers" and the per-day chart (newest first).
create index signatures_confirmed_idx on signatures (petition_id, confirmed_at desc) where status = 'confirmed';
create index signatures_person_idx on signatures (person_id);

-- Per-client limits for public forms, in PostgreSQL so every instance shares them. One row per
-- key and minute; a key is spread over 32 shards (BotGuard.SHARDS) so one busy school Wi-Fi address does not
-- make every signer queue on one row lock.
create table form_rate_limits (
    key          text not null,
    window_start timestamptz not null,
    hits         int not null default 1,
    primary key (key, window_start)
);
create index form_rate_limits_window_idx on form_rate_limits (window_start);
