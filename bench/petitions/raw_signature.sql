-- pgbench script: the floor under the form path. What signatures must record, written by the
-- database alone into the real tables, a batch of :batch signers per transaction in one statement
-- (set-based, as the app's writer does): new people (with all of people's indexes), their
-- signatures, consents and timeline rows, and a thank-you email each queued in the outbox (a copy
-- of a real one: its shared body and values, or its whole parts, so the rows are as large). Fewer writes than the app makes (no
-- per-address counter, no lookups of who signed before): a best case for any implementation.
\set batch 32
with p as (
  insert into people (given_name, family_name, email, email_normalized, email_status, language, referral_code, source, postal_code)
  select 'Ana', 'Rivera', 'floor' || n || '@bench.example', 'floor' || n || '@bench.example', 'subscribed', 'en',
         'floor' || n, 'petition:1', '90001'
  from (select nextval('bench_person_seq') as n from generate_series(1, :batch)) s
  returning id
), s as (
  insert into signatures (petition_id, person_id, status, public_display, ip_hash, confirmed_at)
  select (select max(id) from petitions), id, 'confirmed', true, 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', now() from p
), c as (
  insert into consents (person_id, channel, granted, method, source, ip_hash)
  select id, 'email', true, 'form', 'petition:1', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' from p
), a as (
  insert into activities (person_id, kind, subject_id, details)
  select id, 'petition.signed', (select max(id) from petitions), '{"title": "Bench petition"}' from p
)
insert into outbox (kind, dedupe_key, to_address, to_name, subject, text_body, html_body, headers, body_id, fills)
select o.kind, 'floor:' || p.id, p.id || '@floor.example', 'Ana Rivera', o.subject, o.text_body, o.html_body, o.headers,
       o.body_id, o.fills
from p, (select * from outbox order by id limit 1) o;
