-- Sensitive actions (exporting people, sending to many) ask for the password again; the session
-- remembers when it last did, for a few minutes.
alter table sessions add column reauthenticated_at timestamptz;
