-- People: one record per email (matched on the normalised column), whatever door they came in by
-- (a petition, a pledge, an import, the API). Consent is a history, not a flag: every opt-in and
-- opt-out is a row in consents with when, how and from where.

create table people (
    id               bigint generated always as identity primary key,
    given_name       text not null default '',
    family_name      text not null default '',
    email            text not null,
    email_normalized text not null unique,
    email_status     text not null default 'unsubscribed'
                     check (email_status in ('subscribed', 'unsubscribed', 'bouncing', 'spam_complaint')),
    phone            text not null default '',   -- E.164 when it could be normalised
    postal_code      text not null default '',
    language         text check (language in ('en', 'es')),
    school           text not null default '',
    custom_fields    jsonb not null default '{}',
    referral_code    text not null unique,
    recruited_by     bigint references people (id) on delete set null,
    source           text not null default '',   -- the first door: petition:12, import:3, api …
    erased_at        timestamptz,                -- personal data removed; the row keeps counts whole
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);
create index people_recruited_by_idx on people (recruited_by);
create index people_updated_at_idx on people (updated_at);

create table consents (
    id         bigint generated always as identity primary key,
    person_id  bigint not null references people (id) on delete cascade,
    channel    text not null default 'email' check (channel in ('email', 'sms')),
    granted    boolean not null,
    method     text not null,     -- form, api, import, unsubscribe_link, one_click, admin, bounce
    source     text not null default '',  -- e.g. petition:12
    ip_hash    text,              -- HMAC of the client address, never the address
    created_at timestamptz not null default now()
);
create index consents_person_idx on consents (person_id, created_at desc);
