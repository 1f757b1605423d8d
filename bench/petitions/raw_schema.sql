-- The same columns, constraints and indexes as signatures (V010), without the foreign keys.
drop table if exists bench_signatures;
drop sequence if exists bench_person_seq;
create sequence bench_person_seq;
create table bench_signatures (
    id               bigint generated always as identity primary key,
    petition_id      bigint not null,
    person_id        bigint not null,
    status           text not null check (status in ('pending', 'confirmed')),
    comments         text not null default '',
    school           text not null default '',
    public_display   boolean not null default false,
    referrer_id      bigint,
    source           text not null default 'form' check (source in ('form', 'embed', 'api')),
    ip_hash          text,
    language         text not null default 'en' check (language in ('en', 'es')),
    token_hash       text unique,
    token_expires_at timestamptz,
    created_at       timestamptz not null default now(),
    confirmed_at     timestamptz,
    unique (petition_id, person_id),
    check ((status = 'confirmed') = (confirmed_at is not null))
);
create index bench_signatures_confirmed_idx on bench_signatures (petition_id, confirmed_at desc) where status = 'confirmed';
create index bench_signatures_person_idx on bench_signatures (person_id);
