-- The supporter list: search, tags, static lists, saved segments and CSV imports.

-- Search by name, email or phone, partial: one lower-cased haystack per person, kept by PostgreSQL
-- itself (a generated column), so every writer (petitions, events, imports) keeps it current.
alter table people add column search_text text generated always as
    (lower(given_name || ' ' || family_name || ' ' || email_normalized || ' ' || phone)) stored;

-- A trigram GIN index makes "contains" searches (LIKE '%ana%') use an index. pg_trgm lives in its
-- own schema so its functions stay out of the generated jOOQ classes; where the extension cannot
-- be installed (a managed server without it) search falls back to a scan of this one narrow column.
do $$
declare
    ext_schema text;
begin
    begin
        create schema if not exists extensions;
        create extension if not exists pg_trgm schema extensions;
    exception when others then
        raise notice 'pg_trgm unavailable (%): people search will scan', sqlerrm;
    end;
    select n.nspname into ext_schema
      from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm';
    if ext_schema is not null then
        execute format('create index people_search_trgm_idx on people using gin (search_text %I.gin_trgm_ops)', ext_schema);
    end if;
end
$$;

create index people_created_at_idx on people (created_at);
create index people_postal_code_idx on people (postal_code);
create index people_school_idx on people (lower(school));

create table tags (
    id         bigint generated always as identity primary key,
    name       text not null check (length(name) between 1 and 100),
    created_at timestamptz not null default now()
);
-- "Parent College" and "parent college " are one tag.
create unique index tags_name_idx on tags (lower(btrim(name)));

create table person_tags (
    person_id  bigint not null references people (id) on delete cascade,
    tag_id     bigint not null references tags (id) on delete cascade,
    created_at timestamptz not null default now(),
    primary key (tag_id, person_id)
);
create index person_tags_person_idx on person_tags (person_id);

create table lists (
    id          bigint generated always as identity primary key,
    name        text not null check (length(name) between 1 and 200),
    description text not null default '',
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

create table list_members (
    list_id   bigint not null references lists (id) on delete cascade,
    person_id bigint not null references people (id) on delete cascade,
    added_at  timestamptz not null default now(),
    primary key (list_id, person_id)
);
create index list_members_person_idx on list_members (person_id);

-- A segment is a typed filter tree (see SegmentFilter), stored as JSON and compiled to a jOOQ
-- condition at query time: organizers never write SQL.
create table segments (
    id         bigint generated always as identity primary key,
    name       text not null check (length(name) between 1 and 200),
    definition jsonb not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

-- Activity-based segment filters ("attended at least 3 events", "signed petition 12") read
-- activities by kind and subject, then by person.
create index activities_kind_person_idx on activities (kind, person_id, subject_id);
