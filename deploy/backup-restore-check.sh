#!/usr/bin/env bash
# Tries deploy/README.md's backup and restore for real: a throw-away PostgreSQL 15, Convoca's
# migrations and a staff account, pg_dump, pg_restore into a new database, Convoca against it.
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${PG_BIN:-/usr/lib/postgresql/15/bin}
PORT=${PGPORT:-55439}
WORK=$(mktemp -d /tmp/convoca-backup.XXXXXX)
chmod 755 "$WORK"
AS=()
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); chown postgres "$WORK"; fi
trap '"${AS[@]}" "$PG/pg_ctl" -D "$WORK/pg" stop -m fast >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

[ -f target/convoca.jar ] || mvn -q -DskipTests package
"${AS[@]}" "$PG/initdb" -D "$WORK/pg" -U postgres --auth=trust >/dev/null
"${AS[@]}" "$PG/pg_ctl" -D "$WORK/pg" -o "-p $PORT -k $WORK" -l "$WORK/pg.log" start >/dev/null
"$PG/createdb" -h 127.0.0.1 -p "$PORT" -U postgres convoca

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/convoca"
echo 'backup restore passphrase' | java -jar target/convoca.jar create-user --email backup@example.org --role admin 2>/dev/null

"$PG/pg_dump" --format=custom --no-owner -h 127.0.0.1 -p "$PORT" -U postgres --file="$WORK/convoca.dump" convoca
"$PG/createdb" -h 127.0.0.1 -p "$PORT" -U postgres convoca_restored
"$PG/pg_restore" --no-owner -h 127.0.0.1 -p "$PORT" -U postgres --dbname=convoca_restored "$WORK/convoca.dump"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/convoca_restored"
java -jar target/convoca.jar migrate 2>/dev/null
# The account made before the backup exists after the restore: a second create-user refuses it.
out=$(echo "another long passphrase" | java -jar target/convoca.jar create-user --email backup@example.org --role admin 2>&1 || true)
if echo "$out" | grep -q "already exists"; then
  echo "backup and restore: OK ($(du -h "$WORK/convoca.dump" | cut -f1) dump; the restored database has the account and migrates)"
else
  echo "backup and restore: FAILED: $out" >&2
  exit 1
fi
