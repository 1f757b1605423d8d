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
# wal_init_zero=off: a fresh cluster creates its WAL files until its first checkpoint recycles them,
# and zero-filling each 16 MB file stalled WAL writes here (the first round's p99 was 262-390 ms in
# 6 of 10 runs on 2026-12-01, 52-68 ms in 6 of 6 with it off). A server that has been up a while
# reuses its files; this makes the first rounds look like that, for the app and pgbench alike.
# PG_SETTINGS: more server settings, space-separated name=value (A/B runs of the server's configuration).
SERVER_SETTINGS="max_connections=200 shared_buffers=256MB wal_init_zero=off ${PG_SETTINGS:-}"
if [ "${PG_STATS:-0}" = 1 ]; then
  start_postgres $SERVER_SETTINGS shared_preload_libraries=pg_stat_statements pg_stat_statements.track_planning=on
else
  start_postgres $SERVER_SETTINGS
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
"$PG/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d convoca -f bench/petitions/raw_schema.sql 2>/dev/null

# One round: a measured window of the HTTP form path, then one of raw pgbench inserts right after
# it. This machine's speed drifts by a third within minutes (other tenants of the host), so each
# round's ratio compares two windows a few seconds apart, and the run reports the median round.
http_window() {  # warm-up seconds
  CPU_PGPORT=$PGPORT CPU_PIDS=$APP_PID bench/petitions/sign_load.sh "http://127.0.0.1:$APPPORT" bench "$CLIENTS" "$1" "$DURATION"
}
pgbench_window() {
  # PostgreSQL's CPU over the whole pgbench run: its backends exit with it, and their time is then
  # counted through the postmaster that reaps them (bench/cpu.py).
  bench/cpu.py snap "$WORK/cpu.snap" "$PGPORT"
  /usr/bin/time -f "%U %S" -o "$WORK/pgbench.cpu" "$PG/pgbench" -n -h 127.0.0.1 -p "$PGPORT" -U postgres -c "$CLIENTS" -j 2 \
    -T "$DURATION" -f bench/petitions/raw_insert.sql convoca >"$WORK/pgbench.out" 2>/dev/null
  RAW_PG_CPU=$(bench/cpu.py diff "$WORK/cpu.snap" "$PGPORT" | sed -nE 's/pg=([0-9.]+).*/\1/p')
  PGB=$(cat "$WORK/pgbench.out")
  RAW_CLIENT_CPU=$(awk '{ printf "%.2f", $1 + $2 }' "$WORK/pgbench.cpu")
  RAW_TPS=$(echo "$PGB" | sed -nE 's/^tps = ([0-9.]+).*/\1/p' | head -1)
  RAW_N=$(echo "$PGB" | sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p')
}

ROUNDS=${ROUNDS:-3}
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
ROWS=""
for round in $(seq 1 "$ROUNDS"); do
  W=0; [ "$round" = 1 ] && W=$WARMUP
  echo "== round $round/$ROUNDS: HTTP form path, $CLIENTS clients, ${W}s warm-up, ${DURATION}s measured; then raw pgbench inserts, ${DURATION}s" >&2
  HTTP=$(http_window "$W")
  echo "$HTTP" >&2
  pgbench_window
  echo "pgbench: tps=$RAW_TPS, PostgreSQL used ${RAW_PG_CPU} CPU-s" >&2
  field() { echo "$HTTP" | sed -nE "s/(^|.* )$1=([0-9.]+).*/\2/p"; }
  SIGNS=$(field signs)
  # CPU per operation, in microseconds: where a signature's cost goes, next to a raw insert's.
  us() { awk -v c="$1" -v n="$2" 'BEGIN { printf "%.0f", c * 1e6 / n }'; }
  ROW="$round $(field rate) $(field p50_ms) $(field p99_ms) $(field errors) ${RAW_TPS%%.*} \
$(awk -v a="$(field rate)" -v b="$RAW_TPS" 'BEGIN { printf "%.2f", a / b }') \
$(us "$(field app_cpu_s)" "$SIGNS") $(us "$(field pg_cpu_s)" "$SIGNS") $(us "$(field wrk_cpu_s)" "$SIGNS") \
$(us "$RAW_PG_CPU" "$RAW_N") $(us "$RAW_CLIENT_CPU" "$RAW_N")"
  ROWS="$ROWS$ROW"$'\n'
done
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

# The floor: the rows signatures record, written by pgbench alone, 32 signers per transaction.
# SKIP_FLOOR=1 skips it (A/B runs of an older build, whose schema the script may not fit).
FLOOR_CLIENTS=${FLOOR_CLIENTS:-8}
if [ "${SKIP_FLOOR:-0}" != 1 ]; then
  echo "== floor: signatures' rows by pgbench alone (raw_signature.sql, 32 a transaction): $FLOOR_CLIENTS clients, ${DURATION}s" >&2
  FLOOR_TPS=$("$PG/pgbench" -n -h 127.0.0.1 -p "$PGPORT" -U postgres -c "$FLOOR_CLIENTS" -j 2 -T "$DURATION" \
    -f bench/petitions/raw_signature.sql convoca 2>/dev/null | sed -nE 's/^tps = ([0-9.]+).*/\1/p' | head -1)
  FLOOR=$(awk -v t="$FLOOR_TPS" 'BEGIN { printf "%.0f", t * 32 }')
  echo "floor: $FLOOR signatures/s = $(awk -v a="$FLOOR" -v b="$RAW_TPS" 'BEGIN { printf "%.2f", a / b }') of the last round's raw inserts" >&2
fi

LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
echo
echo "| date (UTC) | cores | load avg before/after | clients | round | HTTP signs/s | p50 ms | p99 ms | errors | raw pgbench inserts/s | ratio | CPU µs a signature: app / PostgreSQL / wrk | CPU µs a raw insert: PostgreSQL / pgbench |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
DATE=$(date -u +%Y-%m-%dT%H:%MZ)
printf '%s' "$ROWS" | while read -r n rate p50 p99 err raw ratio ua up uw urp urc; do
  echo "| $DATE | $(nproc) | $LOAD_BEFORE / $LOAD_AFTER | $CLIENTS | $n | $rate | $p50 | $p99 | $err | $raw | $ratio | $ua / $up / $uw | $urp / $urc |"
done
# The median round by ratio (the middle one of an odd number), and the worst p99 of all rounds.
MED=$(printf '%s' "$ROWS" | sort -k7,7n | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2)')
WORST_P99=$(printf '%s' "$ROWS" | sort -k4,4n | tail -1 | cut -d' ' -f4)
read -r n rate p50 p99 err raw ratio ua up uw urp urc <<<"$MED"
echo "| $DATE | $(nproc) | $LOAD_BEFORE / $LOAD_AFTER | $CLIENTS | **median of $ROUNDS** (round $n; worst p99 $WORST_P99) | $rate | $p50 | $p99 | $err | $raw | **$ratio** | $ua / $up / $uw | $urp / $urc |"
