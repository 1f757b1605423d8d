-- CSV imports. The uploaded file is kept in the database in 1 MB chunks (so any instance can run
-- the job, and nothing is held in memory); a background worker claims a queued import with
-- FOR UPDATE SKIP LOCKED and processes it in batches, committing its progress with each batch so a
-- restart resumes where it stopped.
create table imports (
    id             bigint generated always as identity primary key,
    status         text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed')),  -- pending: uploaded, columns not yet confirmed
    filename       text not null default '',
    tag            text,                        -- added to everyone the import writes
    mapping        jsonb not null default '{}', -- column header -> field (given_name, email, custom:Grade, ignore …)
    charset        text not null default 'UTF-8',
    separator      text not null default ',' check (length(separator) = 1),
    bytes          bigint not null default 0,
    bytes_read     bigint not null default 0,   -- progress through the file, for the progress bar
    total_rows     integer not null default 0,
    processed_rows integer not null default 0,
    created        integer not null default 0,
    updated        integer not null default 0,
    skipped        integer not null default 0,
    error_count    integer not null default 0,
    failure        text,
    locked_until   timestamptz,                 -- a worker's lease; an expired lease is picked up again
    created_by     bigint references users (id) on delete set null,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    finished_at    timestamptz
);
create index imports_running_idx on imports (id) where status = 'running';
create index imports_created_at_idx on imports (created_at desc);

create table import_chunks (
    import_id bigint not null references imports (id) on delete cascade,
    seq       integer not null,
    data      bytea not null,
    primary key (import_id, seq)
);

create table import_errors (
    import_id  bigint not null references imports (id) on delete cascade,
    row_number integer not null,
    message    text not null,
    primary key (import_id, row_number)
);

-- One batch of parsed, validated rows on its way into people; emptied in the batch's transaction.
-- Unlogged: it never outlives a transaction, so it need not survive a crash.
create unlogged table import_rows (
    import_id        bigint not null,
    row_number       integer not null,
    email            text not null,
    email_normalized text not null,
    given_name       text not null,
    family_name      text not null,
    phone            text not null,
    postal_code      text not null,
    language         text,
    school           text not null,
    custom_fields    jsonb not null,
    opt_in           boolean not null,
    referral_code    text not null,
    tags             text not null        -- tag names separated by a newline
);
create index import_rows_email_idx on import_rows (import_id, email_normalized);

-- Stored custom fields with the incoming ones added or replaced (imports never blank a field).
create function people_custom_merge(stored jsonb, incoming jsonb) returns jsonb
    language sql immutable as $$ select stored || incoming $$;
