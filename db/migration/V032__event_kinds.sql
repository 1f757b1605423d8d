-- A pledge can be for an action rather than a gathering ("I will speak at public comment"): an
-- action has a due date (end_at) instead of a meeting time; start_at is when pledging opened.
-- Attendance on an action means "did it".
alter table events add column kind text not null default 'event' check (kind in ('event', 'action'));
