-- Events, pledges (attendances) and reminders. A recurring event is a series: its first
-- occurrence holds the RRULE and every occurrence, the first included, is its own row (series_id
-- points at the first), so each has its own pledges, attendance and turnout.

create table events (
    id               bigint generated always as identity primary key,
    campaign_id      bigint references campaigns (id) on delete set null,
    series_id        bigint references events (id) on delete cascade,  -- null: a one-off event
    title            text not null,
    title_es         text not null default '',
    description      text not null default '',  -- Markdown
    description_es   text not null default '',
    start_at         timestamptz not null,
    end_at           timestamptz not null,
    time_zone        text not null,              -- IANA, e.g. America/Los_Angeles
    location         text not null default '',
    online_url       text not null default '',
    capacity         int check (capacity is null or capacity > 0),  -- seats, pledges' guests included
    host_user_id     bigint references users (id) on delete set null,
    turnout_goal     int check (turnout_goal is null or turnout_goal >= 0),
    confidential     boolean not null default false,  -- a circle: no names anywhere public
    recurrence       text not null default '',        -- RRULE, on the series' first occurrence
    reminder_minutes int[] not null default '{2880,180}',  -- minutes before the start
    status           text not null default 'scheduled' check (status in ('scheduled', 'cancelled')),
    created_by       bigint references users (id) on delete set null,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    check (end_at > start_at)
);
create index events_start_idx on events (start_at);
create index events_series_idx on events (series_id, start_at);
create index events_host_idx on events (host_user_id);
create index events_campaign_idx on events (campaign_id);

-- One row per person per event: a pledge (accepted or waitlisted), a cancellation, or a walk-in
-- (walk_in, attended, no pledge). UNIQUE(event_id, person_id) makes a second pledge or a second
-- check-in of the same person an update, never a second count.
create table attendances (
    id                      bigint generated always as identity primary key,
    event_id                bigint not null references events (id) on delete cascade,
    person_id               bigint not null references people (id) on delete cascade,
    status                  text not null default 'accepted' check (status in ('accepted', 'waitlisted', 'cancelled')),
    guests                  int not null default 0 check (guests between 0 and 50),
    childcare_children      int not null default 0 check (childcare_children between 0 and 20),
    interpretation_language text not null default '',
    transport               boolean not null default false,
    food                    boolean not null default false,
    access_needs            text not null default '',
    referrer_id             bigint references people (id) on delete set null,  -- whose code brought them
    attended                boolean not null default false,
    walk_in                 boolean not null default false,
    checked_in_by           bigint references users (id) on delete set null,
    checked_in_at           timestamptz,
    created_at              timestamptz not null default now(),
    updated_at              timestamptz not null default now(),
    unique (event_id, person_id)
);
create index attendances_person_idx on attendances (person_id);
create index attendances_referrer_idx on attendances (referrer_id);

-- Reminder emails, one row per pledge and offset, written when the pledge is made. The unique key
-- means each reminder exists once; the job claims due rows with FOR UPDATE SKIP LOCKED and marks
-- them sent in the transaction that queues the email, so a reminder is queued exactly once.
create table event_reminders (
    id             bigint generated always as identity primary key,
    attendance_id  bigint not null references attendances (id) on delete cascade,
    offset_minutes int not null,
    due_at         timestamptz not null,
    status         text not null default 'pending' check (status in ('pending', 'sent', 'skipped')),
    sent_at        timestamptz,
    unique (attendance_id, offset_minutes)
);
-- Partial: the job only looks for work.
create index event_reminders_due_idx on event_reminders (due_at) where status = 'pending';
