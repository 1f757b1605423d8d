#!/usr/bin/env bash
# People benchmarks on a standalone PostgreSQL 15 (/usr/lib/postgresql/15/bin), default settings
# except max_wal_size (so checkpoints do not dominate either side):
#   1. segment counts on 1,000,000 people with 5,000,000 activity rows (target < 300 ms);
#   2. import of a 1,000,000-row CSV with a 256 MB heap, against psql \copy of the same file into a
#      plain table on the same server (target at most 3x).
# Usage: bench/people/run.sh            (from the repository root; builds with mvn if needed)
#        ROWS=100000 bench/people/run.sh  (a quicker run)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-1000000}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${BENCH_PORT:-55432}
WORK=$(mktemp -d /tmp/convoca-people-bench.XXXXXX)
chmod 777 "$WORK"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
cleanup() { as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

[ -f target/convoca.jar ] || mvn -q -DskipTests package
mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="target/test-classes:target/classes:$(cat "$WORK/cp.txt")"

as_pg "$PGBIN/initdb" -D "$WORK/data" -U bench --auth=trust >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/pg.log" -o "-p $PORT -k $WORK -c max_wal_size=4GB" -w start >/dev/null
PSQL=(psql -h "$WORK" -p "$PORT" -U bench -v ON_ERROR_STOP=1 -q)
"${PSQL[@]}" -d postgres -c "create database segments" -c "create database imports" -c "create database floor"
echo "PostgreSQL: $("${PSQL[@]}" -d postgres -Atc 'show server_version')  cores: $(nproc)"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "${SKIP_SEGMENTS:-}" ]; then
echo "== segments: seeding 1,000,000 people and 5,000,000 activities"
DATABASE_URL="postgres://bench@localhost:$PORT/segments" java -jar target/convoca.jar migrate >/dev/null
start=$(date +%s)
"${PSQL[@]}" -d segments -f bench/people/seed.sql >/dev/null
echo "seeded in $(( $(date +%s) - start )) s"
java -cp "$CP" org.convoca.bench.PeopleBench segments "postgres://bench@localhost:$PORT/segments"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# The plan of the OR segment as the app sends it (index-only scans, no heap fetches expected).
"${PSQL[@]}" -d segments -Atc "explain (analyze, buffers, costs off) select count(*) from people where erased_at is null and id in (select person_id from activities where kind = 'event.attended' and subject_id in (5) union all select person_id from activities where kind = 'petition.signed' and subject_id in (3))" | grep -E 'Scan|Loop|Join|Aggregate|Heap Fetches|Execution'
fi

[ -n "${SKIP_IMPORT:-}" ] && exit 0
echo "== import: $ROWS rows"
python3 bench/people/gen_import.py "$WORK/people.csv" "$ROWS"
ls -l "$WORK/people.csv" | awk '{print "file bytes:", $5}'
DATABASE_URL="postgres://bench@localhost:$PORT/imports" java -jar target/convoca.jar migrate >/dev/null
"${PSQL[@]}" -d imports -c "create table copy_baseline (first_name text, last_name text, email text, phone text, zip_code text, school text, language text, grade text)"
start=$(date +%s.%N)
"${PSQL[@]}" -d imports -c "\\copy copy_baseline from '$WORK/people.csv' with (format csv, header true)"
end=$(date +%s.%N)
COPY_S=$(echo "$end - $start" | bc)
echo "psql \\copy: $COPY_S s"
LOAD_AT_COPY=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average: $LOAD_AT_COPY"
# The floor under any import: the database alone putting the same rows into an empty `people` table
# with its indexes (unique email and referral code, trigram name/email search, …), in one
# INSERT … SELECT from an unlogged copy of the file, no application in between.
DATABASE_URL="postgres://bench@localhost:$PORT/floor" java -jar target/convoca.jar migrate >/dev/null
"${PSQL[@]}" -d floor -c "create unlogged table staged (first_name text, last_name text, email text, phone text, zip_code text, school text, language text, grade text)" \
  -c "\\copy staged from '$WORK/people.csv' with (format csv, header true)"
start=$(date +%s.%N)
"${PSQL[@]}" -d floor -c "insert into people (given_name, family_name, email, email_normalized, email_status, phone, postal_code, language, school, referral_code, source)
  select first_name, last_name, email, lower(trim(email)), 'unsubscribed', phone, zip_code, language, school, md5(email), 'import:0' from staged
  on conflict (email_normalized) do nothing"
FLOOR_S=$(echo "$(date +%s.%N) - $start" | bc)
printf 'floor: INSERT ... SELECT into people alone: %.1f s = %.0fx the \\copy\n' "$FLOOR_S" "$(echo "$FLOOR_S / $COPY_S" | bc -l)"
"${PSQL[@]}" -d postgres -c "drop database floor"
# The least any import that keeps one record per email must do (issue 4, line 1): \copy of the
# same rows into a table with nothing but an identity primary key and a unique email, no other
# index, no parsing or checks; once as the file comes, once sorted by email (the kindest order for
# the unique index). Against the plain \copy above, this is the ratio no import can beat here.
(head -1 "$WORK/people.csv"; tail -n +2 "$WORK/people.csv" | sort -t, -k3,3) > "$WORK/people-sorted.csv"
for f in people people-sorted; do
  "${PSQL[@]}" -d imports -c "drop table if exists uniq_floor" -c "create table uniq_floor (id bigint generated always as identity primary key,
    first_name text, last_name text, email text unique, phone text, zip_code text, school text, language text, grade text)" -c "checkpoint"
  start=$(date +%s.%N)
  "${PSQL[@]}" -d imports -c "\\copy uniq_floor (first_name, last_name, email, phone, zip_code, school, language, grade) from '$WORK/$f.csv' with (format csv, header true)"
  U_S=$(echo "$(date +%s.%N) - $start" | bc)
  printf 'uniqueness floor (%s.csv): \\copy into (id primary key, email unique) alone: %.2f s = %.1fx the \\copy\n' "$f" "$U_S" "$(echo "$U_S / $COPY_S" | bc -l)"
done
"${PSQL[@]}" -d imports -c "drop table uniq_floor"
java -Xmx256m -cp "$CP" org.convoca.bench.PeopleBench import "postgres://bench@localhost:$PORT/imports" "$WORK/people.csv" | tee "$WORK/import.out"
echo "load average after the import: $(cut -d' ' -f1-3 /proc/loadavg)"
# The README row: the import's total time (upload + background job) for each run, as a ratio to \copy.
first=$(sed -n 's/^import run 1 .*| total \([0-9.]*\) s.*/\1/p' "$WORK/import.out")
second=$(sed -n 's/^import run 2 .*| total \([0-9.]*\) s.*/\1/p' "$WORK/import.out")
printf '| %s UTC, %s rows | %s at the copy, %s after | %.2f s | %.1f s | **%.0fx** | %.1f s | %.0fx |\n' \
    "$(date -u '+%Y-%m-%d %H:%M')" "$ROWS" "$LOAD_AT_COPY" "$(cut -d' ' -f1-3 /proc/loadavg)" "$COPY_S" \
    "$first" "$(echo "$first / $COPY_S" | bc -l)" "$second" "$(echo "$second / $COPY_S" | bc -l)"
