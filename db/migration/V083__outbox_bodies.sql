-- A body many queued emails share, stored once: the thank-you email of one petition in one
-- language is the same for every signer but for their name and referral code. Its outbox row
-- points here (body_id) and carries only the values for the body's markers (fills: one list for
-- the text part and one for the HTML part, where the name is HTML-escaped).
--
-- Why: the thank-you was 2.5 kB of a signature's 4.4 kB of rows, and on a server whose tables
-- are still growing every new page is written out by the kernel first (PostgreSQL 15 extends a
-- table a page at a time): the signature writer's backend spent a quarter of its time in that
-- (perf, bench/petitions). Expanded, the email is exactly what a full render gives
-- (ThankYouSkeletonTest, OutboxBodiesTest).
--
-- Bodies are immutable and never deleted (no personal data: markers stand where the signer's
-- values go), so outbox rows need no foreign key to them, and none is checked per queued email.
create table outbox_bodies (
    id         bigint generated always as identity primary key,
    digest     text not null unique,   -- SHA-256 of markers and parts: one row per distinct body
    markers    text[] not null,
    text_body  text not null,
    html_body  text,
    created_at timestamptz not null default now()
);

alter table outbox alter column text_body drop not null;
alter table outbox add column body_id bigint;
alter table outbox add column fills jsonb;  -- {"text": [...], "html": [...]}, one value a marker
alter table outbox add constraint outbox_body_check check (
    (body_id is null and text_body is not null and fills is null)
    or (body_id is not null and text_body is null and fills is not null));
