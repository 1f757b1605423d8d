-- "Attended at least N events" is a segment filter. Counted from the timeline it means grouping
-- every event.attended row (hundreds of thousands on a big list) on each segment count; kept as a
-- per-person counter it is one indexed comparison. The counter is the number of different events
-- with an event.attended row on the person's timeline (a double check-in counts once), the same
-- definition the segment used before.
alter table people add column events_attended int not null default 0 check (events_attended >= 0);

-- The trigger recounts the person from their timeline rather than adding or subtracting one: a
-- recount is right whatever happened before (a duplicate row after a merge, an undone check-in),
-- and it reads only that person's attendance rows (activities_kind_person_idx). One function, no
-- helper, so nothing callable shows up in the generated jOOQ classes.
create function activities_recount_events_attended() returns trigger
language plpgsql as $$
declare
    persons bigint[] := '{}';
    p bigint;
    n int;
begin
    if tg_op in ('UPDATE', 'DELETE') and old.kind = 'event.attended' then
        persons := persons || old.person_id;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.kind = 'event.attended' and not new.person_id = any (persons) then
        persons := persons || new.person_id;
    end if;
    foreach p in array persons loop
        -- Lock the person first. Under READ COMMITTED the count below then takes its snapshot after
        -- any other transaction that changed this person's attendance committed, so two check-ins
        -- of the same person at the same moment both count. FOR NO KEY UPDATE does not block the
        -- foreign key checks of other writers.
        perform 1 from people where id = p for no key update;
        continue when not found;  -- the person is being deleted in this transaction (merge, cascade)
        select count(distinct subject_id) into n from activities
         where kind = 'event.attended' and person_id = p;
        -- Skip the write when nothing changed.
        update people set events_attended = n where id = p and events_attended <> n;
    end loop;
    return null;
end
$$;

-- Row triggers with WHEN clauses: the other kinds of activity (an import writes one row per person,
-- a blast one per recipient) are filtered out before any function is called, so they pay almost
-- nothing. Updates that only rewrite details (erasure) do not fire.
create trigger activities_events_attended_ins after insert on activities
    for each row when (new.kind = 'event.attended')
    execute function activities_recount_events_attended();
create trigger activities_events_attended_del after delete on activities
    for each row when (old.kind = 'event.attended')
    execute function activities_recount_events_attended();
create trigger activities_events_attended_upd after update of person_id, kind, subject_id on activities
    for each row when ((old.kind = 'event.attended' or new.kind = 'event.attended')
                       and (old.person_id, old.kind, old.subject_id) is distinct from (new.person_id, new.kind, new.subject_id))
    execute function activities_recount_events_attended();

-- Backfill from the timeline as it stands.
update people p set events_attended = a.n
  from (select person_id, count(distinct subject_id)::int as n from activities
         where kind = 'event.attended' group by person_id) a
 where p.id = a.person_id;

-- Most people never attended: a partial index holds only those who did, so it costs an import
-- of new people nothing, and "attended at least N" (N >= 1) reads only the matching entries.
create index people_events_attended_idx on people (events_attended) where erased_at is null and events_attended > 0;
