-- Optional second factor for staff: TOTP (RFC 6238). The secret is set only after the user proved
-- their authenticator app with a code; last_step refuses the replay of a code already used.
alter table users
    add column totp_secret       text,
    add column totp_pending      text,
    add column totp_last_step    bigint not null default 0;

-- A password that was right, waiting for its second factor. The cookie holds a random token; the
-- table its SHA-256. Short-lived, with a cap on guesses.
create table login_challenges (
    token_hash text primary key,
    user_id    bigint not null references users (id) on delete cascade,
    next_path  text not null default '/admin',
    attempts   int not null default 0,
    expires_at timestamptz not null
);
