#!/usr/bin/env bash
# Petition signing benchmark, one command: signatures/second through the real HTTP form path at
# CLIENTS concurrent loopback clients (p50/p99), against raw pgbench single-row inserts into a table
# indexed like `signatures`, on the same standalone PostgreSQL 15 server in the same run.
#
#   bench/petitions/run.sh            # CLIENTS=64 WARMUP=90 DURATION=20 by default
#   APP_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/sign.jfr,settings=profile" bench/petitions/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CLIENTS=${CLIENTS:-64}
# 90 s: the JIT compiles for about a minute of this load (JFR: 10,800 compilations, 60 s of
# compiler CPU, flat only ~50 s in; with a 20 s warm-up the C2 threads took a third of the app's
# CPU inside the measured window). A server that has been up a while runs compiled code.
WARMUP=${WARMUP:-90}
DURATION=${DURATION:-20}
PGPORT=${PGPORT:-55432}
APPPORT=${APPPORT:-18080}
. bench/lib.sh
echo "== PostgreSQL 15 in $WORK/pg (port $PGPORT)" >&2
# PG_STATS=1: also print pg_stat_statements (planning and execution time per statement) for the
# signing phase, warm-up included: where the database's part of a signature goes.
if [ "${PG_STATS:-0}" = 1 ]; then
  start_postgres max_connections=200 shared_buffers=256MB shared_preload_libraries=pg_stat_statements \
    pg_stat_statements.track_planning=on
else
  start_postgres max_connections=200 shared_buffers=256MB
fi

# JAR: another build to measure (A/B runs of two commits on the same machine).
JAR=${JAR:-target/convoca.jar}
[ -f "$JAR" ] || mvn -q -DskipTests package

export DATABASE_URL="jdbc:postgresql://127.0.0.1:$PGPORT/convoca?user=postgres"
export PORT=$APPPORT BASE_URL="http://127.0.0.1:$APPPORT" DATA_DIR="$WORK/data"
# All load comes from 127.0.0.1: lift the per-address cap so it measures signing, not refusals.
# The limiter's counter still runs on every request.
export PETITION_SIGNS_PER_IP_PER_MINUTE=1000000000
unset SMTP_HOST  # mail is queued in the outbox in the signing transaction, as in production
java -jar "$JAR" migrate >/dev/null 2>&1
echo "bench passphrase long enough" | java -jar "$JAR" create-user --email bench@example.org --role organizer >/dev/null
TOKEN=$(java -jar "$JAR" create-api-key --email bench@example.org 2>/dev/null | tail -1)
java -Xmx512m ${APP_JAVA_OPTS:-} -jar "$JAR" serve >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$APPPORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

api() { curl -fs -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" "http://127.0.0.1:$APPPORT/api/v1/$1" -d "$2"; }
CID=$(api campaigns '{"title":"Bench","slug":"bench","status":"live"}' | sed -E 's/.*"id":([0-9]+).*/\1/')
api petitions "{\"campaign_id\":$CID,\"title\":\"Bench petition\",\"slug\":\"bench\",\"status\":\"open\",\"petition_text\":\"Fund counselors.\",\"target\":[{\"name\":\"Board\"}],\"signature_goal\":1000}" >/dev/null

q() { "$PG/psql" -qAt -h 127.0.0.1 -p "$PGPORT" -U postgres -d convoca -c "$1"; }
[ "${PG_STATS:-0}" = 1 ] && WAL_BEFORE=$(q "select pg_current_wal_lsn()")
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
echo "== HTTP form path: $CLIENTS clients, ${WARMUP}s warm-up, ${DURATION}s measured" >&2
HTTP=$(CPU_PGPORT=$PGPORT CPU_PIDS=$APP_PID bench/petitions/sign_load.sh "http://127.0.0.1:$APPPORT" bench "$CLIENTS" "$WARMUP" "$DURATION")
echo "$HTTP" >&2
COUNT=$(curl -fs "http://127.0.0.1:$APPPORT/p/bench/count.json")
echo "count endpoint: $COUNT" >&2
if [ "${PG_STATS:-0}" = 1 ]; then
  q "select 'WAL bytes a signature (warm-up included): ' || round(pg_wal_lsn_diff(pg_current_wal_lsn(), '$WAL_BEFORE') / count(*))
       || ', checkpoints: ' || (select checkpoints_timed + checkpoints_req from pg_stat_bgwriter) from signatures" >&2
  "$PG/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d convoca -c "create extension if not exists pg_stat_statements" \
    -c "select calls, round(total_plan_time::numeric) plan_ms, round(total_exec_time::numeric) exec_ms, rows,
               left(regexp_replace(query, '\\s+', ' ', 'g'), 110) query
        from pg_stat_statements order by total_plan_time + total_exec_time desc limit 25" >&2
fi

echo "== raw pgbench inserts: $CLIENTS clients, ${DURATION}s" >&2
"$PG/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d convoca -f bench/petitions/raw_schema.sql
# PostgreSQL's CPU over the whole pgbench run: its backends exit with it, and their time is then
# counted through the postmaster that reaps them (bench/cpu.py). Until 2026-12-01 it was read
# inside the run from live processes only, which read near zero on some runs.
bench/cpu.py snap "$WORK/cpu.snap" "$PGPORT"
/usr/bin/time -f "%U %S" -o "$WORK/pgbench.cpu" "$PG/pgbench" -n -h 127.0.0.1 -p "$PGPORT" -U postgres -c "$CLIENTS" -j 2 \
  -T "$DURATION" -f bench/petitions/raw_insert.sql convoca >"$WORK/pgbench.out" 2>/dev/null
RAW_PG_CPU=$(bench/cpu.py diff "$WORK/cpu.snap" "$PGPORT" | sed -nE 's/pg=([0-9.]+).*/\1/p')
echo "pgbench run: PostgreSQL used ${RAW_PG_CPU} CPU-s" >&2
PGB=$(cat "$WORK/pgbench.out")
RAW_CLIENT_CPU=$(awk '{ printf "%.2f", $1 + $2 }' "$WORK/pgbench.cpu")
RAW_TPS=$(echo "$PGB" | sed -nE 's/^tps = ([0-9.]+).*/\1/p' | head -1)
RAW_LAT=$(echo "$PGB" | sed -nE 's/^latency average = ([0-9.]+) ms/\1/p')
echo "pgbench: tps=$RAW_TPS latency_avg_ms=$RAW_LAT" >&2

# The floor: the rows signatures record, written by pgbench alone, 32 signers per transaction.
FLOOR_CLIENTS=${FLOOR_CLIENTS:-8}
echo "== floor: signatures' rows by pgbench alone (raw_signature.sql, 32 a transaction): $FLOOR_CLIENTS clients, ${DURATION}s" >&2
FLOOR_TPS=$("$PG/pgbench" -n -h 127.0.0.1 -p "$PGPORT" -U postgres -c "$FLOOR_CLIENTS" -j 2 -T "$DURATION" \
  -f bench/petitions/raw_signature.sql convoca 2>/dev/null | sed -nE 's/^tps = ([0-9.]+).*/\1/p' | head -1)
FLOOR=$(awk -v t="$FLOOR_TPS" 'BEGIN { printf "%.0f", t * 32 }')
echo "floor: $FLOOR signatures/s = $(awk -v a="$FLOOR" -v b="$RAW_TPS" 'BEGIN { printf "%.2f", a / b }') of the raw inserts" >&2

RATE=$(echo "$HTTP" | sed -nE 's/.*rate=([0-9.]+).*/\1/p')
P50=$(echo "$HTTP" | sed -nE 's/.*p50_ms=([0-9.]+).*/\1/p')
P99=$(echo "$HTTP" | sed -nE 's/.*p99_ms=([0-9.]+).*/\1/p')
ERR=$(echo "$HTTP" | sed -nE 's/.*errors=([0-9]+).*/\1/p')
RATIO=$(awk -v a="$RATE" -v b="$RAW_TPS" 'BEGIN { printf "%.2f", a / b }')
SIGNS=$(echo "$HTTP" | sed -nE 's/.*signs=([0-9]+).*/\1/p')
field() { echo "$HTTP" | sed -nE "s/.* $1=([0-9.]+).*/\1/p"; }
# CPU per operation, in microseconds: where a signature's cost goes, next to a raw insert's.
US_APP=$(awk -v c="$(field app_cpu_s)" -v n="$SIGNS" 'BEGIN { printf "%.0f", c * 1e6 / n }')
US_PG=$(awk -v c="$(field pg_cpu_s)" -v n="$SIGNS" 'BEGIN { printf "%.0f", c * 1e6 / n }')
US_WRK=$(awk -v c="$(field wrk_cpu_s)" -v n="$SIGNS" 'BEGIN { printf "%.0f", c * 1e6 / n }')
RAW_N=$(echo "$PGB" | sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p')
US_RAW_PG=$(awk -v c="$RAW_PG_CPU" -v n="$RAW_N" 'BEGIN { printf "%.0f", c * 1e6 / n }')
US_RAW_CLIENT=$(awk -v c="$RAW_CLIENT_CPU" -v n="$RAW_N" 'BEGIN { printf "%.0f", c * 1e6 / n }')
echo
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
echo "| date (UTC) | cores | load avg before/after | clients | HTTP signs/s | p50 ms | p99 ms | errors | raw pgbench inserts/s | ratio | CPU µs a signature: app / PostgreSQL / wrk | CPU µs a raw insert: PostgreSQL / pgbench |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
echo "| $(date -u +%Y-%m-%dT%H:%MZ) | $(nproc) | $LOAD_BEFORE / $LOAD_AFTER | $CLIENTS | $RATE | $P50 | $P99 | $ERR | ${RAW_TPS%%.*} | $RATIO | $US_APP / $US_PG / $US_WRK | $US_RAW_PG / $US_RAW_CLIENT |"
