-- A leader's turnout goal: how many of their people they aim to bring out (across events), set by
-- an organizer. One row per leader account.
create table leader_goals (
    user_id      bigint primary key references users (id) on delete cascade,
    turnout_goal int not null check (turnout_goal >= 0),
    updated_at   timestamptz not null default now()
);
