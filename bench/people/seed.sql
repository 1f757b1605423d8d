-- 1,000,000 people and 5,000,000 activity rows for the segment benchmark. Deterministic
-- (no random()), so every run counts the same people.
\timing on
insert into people (given_name, family_name, email, email_normalized, email_status, phone, postal_code, language,
                    school, referral_code, source, created_at, updated_at)
select 'Given' || i, 'Family' || (i % 5000), 'p' || i || '@example.org', 'p' || i || '@example.org',
       (array['subscribed', 'subscribed', 'unsubscribed', 'bouncing'])[1 + i % 4],
       '+1213' || lpad((i % 10000000)::text, 7, '0'), (90001 + i % 100)::text,
       case when i % 3 = 0 then 'es' else 'en' end, 'School ' || (i % 200), 'r' || i, 'bench',
       timestamptz '2026-11-01' - (i % 1000) * interval '1 day', timestamptz '2026-11-01'
from generate_series(1, 1000000) i;

insert into tags (name) select 'Tag ' || t from generate_series(0, 49) t;
-- Everyone has one tag; one in five has a second.
insert into person_tags (person_id, tag_id)
select p.id, (select id from tags where name = 'Tag ' || (p.id % 50)) from people p;
insert into person_tags (person_id, tag_id)
select p.id, (select id from tags where name = 'Tag ' || ((p.id * 7 + 3) % 50)) from people p
where p.id % 5 = 0 on conflict do nothing;

-- 5,000,000 activities: petitions 1-20, events 1-100 (pledged and attended), email sent.
insert into activities (person_id, kind, subject_id, occurred_at)
select 1 + (i::bigint * 7919) % 1000000,
       (array['petition.signed', 'event.pledged', 'event.attended', 'email.sent', 'email.sent'])[1 + i % 5],
       case i % 5 when 0 then 1 + (i / 5) % 20 when 1 then 1 + (i / 5) % 100 when 2 then 1 + (i / 7) % 100 else (i / 5) % 50 end,
       timestamptz '2026-11-01' - (i % 700) * interval '1 day'
from generate_series(1, 5000000) i;
vacuum analyze;
