-- 1,000,000 people and 5,000,000 activity rows for the segment benchmark. random() is seeded, so
-- every run builds the same data.
\timing on
select setseed(0.42);
insert into people (given_name, family_name, email, email_normalized, email_status, phone, postal_code, language,
                    school, referral_code, source, created_at, updated_at)
select 'Given' || i, 'Family' || (i % 5000), 'p' || i || '@example.org', 'p' || i || '@example.org',
       (array['subscribed', 'subscribed', 'unsubscribed', 'bouncing'])[1 + i % 4],
       '+1213' || lpad((i % 10000000)::text, 7, '0'), (90001 + i % 100)::text,
       case when random() < 0.4 then 'es' else 'en' end, 'School ' || (i % 200), 'r' || i, 'bench',
       timestamptz '2026-11-01' - (random() * 1000)::int * interval '1 day', timestamptz '2026-11-01'
from generate_series(1, 1000000) i;

insert into tags (name) select 'Tag ' || t from generate_series(0, 49) t;
-- Everyone has one tag; one in five has a second.
insert into person_tags (person_id, tag_id)
select p.id, (select id from tags where name = 'Tag ' || (p.id % 50)) from people p;
insert into person_tags (person_id, tag_id)
select p.id, (select id from tags where name = 'Tag ' || ((p.id * 7 + 3) % 50)) from people p
where p.id % 5 = 0 on conflict do nothing;

-- 5,000,000 activities on random people: 40% email sent, 25% petition signed (20 petitions),
-- 20% event pledged and 15% event attended (100 events). V070's trigger on activities keeps
-- people.events_attended as these rows go in, as it does for a check-in in the app.
insert into activities (person_id, kind, subject_id, occurred_at)
select 1 + (random() * 999999)::int, k.kind,
       case when k.kind = 'petition.signed' then 1 + (random() * 19)::int
            when k.kind like 'event.%' then 1 + (random() * 99)::int else (random() * 50)::int end,
       timestamptz '2026-11-01' - (random() * 700)::int * interval '1 day'
from (select case when r < 0.40 then 'email.sent' when r < 0.65 then 'petition.signed'
                  when r < 0.85 then 'event.pledged' else 'event.attended' end as kind
      from (select random() as r from generate_series(1, 5000000)) g) k;
vacuum analyze;
