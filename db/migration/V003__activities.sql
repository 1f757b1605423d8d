-- The activity timeline: every feature writes one row here, in the same transaction as the thing
-- it records (a signature, a pledge, an email sent, an import, a consent change, an edit), so a
-- person's page can show everything newest first with one indexed query.
create table activities (
    id          bigint generated always as identity primary key,
    person_id   bigint not null references people (id) on delete cascade,
    kind        text not null,            -- e.g. petition.signed, event.pledged, email.sent
    subject_id  bigint,                   -- the petition, event, message … the kind refers to
    details     jsonb not null default '{}',
    occurred_at timestamptz not null default now()
);
create index activities_person_time_idx on activities (person_id, occurred_at desc, id desc);
create index activities_kind_subject_idx on activities (kind, subject_id);
