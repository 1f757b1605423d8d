-- Letters to decision makers (OSDI advocacy campaigns and outreaches). A writer fills in the
-- public form, confirms by a link emailed to them, and only then does one email per target go
-- out. Only targets in this directory ever receive letters: there is no free "to" address.

-- The directory of decision makers. Retiring keeps the row (and its letter history); a retired
-- target receives no new letters. Schools and postal codes say whom each target represents.
create table targets (
    id               bigint generated always as identity primary key,
    given_name       text not null default '',
    family_name      text not null default '',
    title            text not null default '',   -- e.g. Board Member, District 5
    body             text not null default '',   -- e.g. LAUSD Board of Education
    email            text not null,
    email_normalized text not null unique,       -- the CSV import updates a target by email
    district         text not null default '',
    schools          text[] not null default '{}',
    postal_codes     text[] not null default '{}',
    retired_at       timestamptz,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);

-- A letter action inside a campaign. Subject and body are templates with merge fields over the
-- writer ({{ given_name }}, {{ school }} …), checked when saved.
create table advocacy_campaigns (
    id                  bigint generated always as identity primary key,
    campaign_id         bigint not null references campaigns (id),
    title               text not null,
    title_es            text not null default '',
    description         text not null default '',   -- Markdown
    description_es      text not null default '',
    subject             text not null,
    subject_es          text not null default '',
    body                text not null,
    body_es             text not null default '',
    editable            boolean not null default true,
    targeting           text not null default 'all' check (targeting in ('all', 'by_school_or_postal_code')),
    target_ids          bigint[] not null default '{}',   -- all: who receives; by_school…: the pool to match in (empty: whole directory)
    fallback_target_ids bigint[] not null default '{}',   -- when matching finds nobody
    status              text not null default 'draft' check (status in ('draft', 'open', 'closed')),
    created_by          bigint references users (id) on delete set null,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now()
);
create index advocacy_campaigns_campaign_idx on advocacy_campaigns (campaign_id);

-- One submission of the form. It holds the writer's inputs until they confirm: the person row is
-- only written once the address is proven, so nobody can put a stranger on the list.
create table outreaches (
    id                   bigint generated always as identity primary key,
    advocacy_campaign_id bigint not null references advocacy_campaigns (id),
    person_id            bigint references people (id) on delete set null,  -- set on confirmation
    given_name           text not null default '',
    family_name          text not null default '',
    email                text not null,
    postal_code          text not null default '',
    phone                text not null default '',
    language             text not null default 'en' check (language in ('en', 'es')),
    email_opt_in         boolean not null default false,
    ref                  text not null default '',
    school               text not null default '',
    story                text not null default '',
    subject              text not null,    -- as the writer left it (template or edited), merged at send
    body                 text not null,
    target_ids           bigint[] not null,  -- the recipients shown in the preview
    status               text not null default 'pending_confirmation' check (status in ('pending_confirmation', 'sent')),
    token_hash           text not null unique,  -- SHA-256 of the emailed confirmation token
    expires_at           timestamptz not null,
    confirmed_at         timestamptz,
    ip_hash              text,
    source               text not null default 'form',  -- form or api
    created_at           timestamptz not null default now()
);
create index outreaches_action_idx on outreaches (advocacy_campaign_id, status);

-- One row per email to a target. The unique constraint is the "one email per writer per target"
-- rule: a second confirmation (or a race) inserts nothing and so sends nothing.
create table letters (
    id                   bigint generated always as identity primary key,
    outreach_id          bigint not null references outreaches (id),
    advocacy_campaign_id bigint not null references advocacy_campaigns (id),
    person_id            bigint not null references people (id) on delete cascade,
    target_id            bigint not null references targets (id),
    school               text not null default '',
    sent_at              timestamptz not null default now(),
    unique (advocacy_campaign_id, person_id, target_id)
);
create index letters_target_idx on letters (target_id, sent_at);
create index letters_action_day_idx on letters (advocacy_campaign_id, sent_at);

-- Daily limits, kept in PostgreSQL so they hold across instances. A use is one atomic upsert that
-- only increments while under the limit. Keys are hashes (of an IP or an email) or target ids.
create table letter_quotas (
    scope text not null check (scope in ('ip', 'writer', 'target')),
    key   text not null,
    day   date not null,
    used  int not null default 0,
    primary key (scope, key, day)
);
