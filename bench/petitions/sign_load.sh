#!/usr/bin/env bash
# Drives the petition sign form with wrk (a C load generator, as pgbench is for the baseline):
# CLIENTS connections on 2 wrk threads, each request the real form with a new email; WARMUP
# seconds first (not counted: the JIT is still compiling the path), then SECONDS measured.
# Prints one line: signs= errors= socket_errors= seconds= rate= p50_ms= p99_ms=
# With CPU_PGPORT (and CPU_PIDS, the app's process ids) set, it adds the CPU seconds the
# PostgreSQL server, those processes and wrk itself used in the measured window:
# pg_cpu_s= app_cpu_s= wrk_cpu_s=
#
#   bench/petitions/sign_load.sh BASE_URL SLUG CLIENTS WARMUP_SECONDS SECONDS
set -euo pipefail
BASE=$1 SLUG=$2 CLIENTS=$3 WARMUP=$4 DURATION=$5
HERE=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
STAMP=$(curl -fs "$BASE/p/$SLUG" | sed -nE 's/.*name="_ts" value="([^"]+)".*/\1/p' | head -1)
[ -n "$STAMP" ] || { echo "no form stamp on $BASE/p/$SLUG" >&2; exit 1; }
sleep 2.1  # the form's minimum fill time
RUN=$(date +%s%N | tail -c 10)
THREADS=2
[ "$CLIENTS" -lt 2 ] && THREADS=1
if [ "$WARMUP" -gt 0 ]; then
  wrk -t"$THREADS" -c"$CLIENTS" -d"${WARMUP}s" --timeout 60s -s "$HERE/sign.lua" "$BASE/p/$SLUG/sign" -- "$STAMP" "w$RUN" >/dev/null
fi
if [ -z "${CPU_PGPORT:-}" ]; then
  wrk -t"$THREADS" -c"$CLIENTS" -d"${DURATION}s" --timeout 60s -s "$HERE/sign.lua" "$BASE/p/$SLUG/sign" -- "$STAMP" "m$RUN" | tail -1
  exit 0
fi
SNAP=$(mktemp)
"$HERE/../cpu.py" snap "$SNAP" "$CPU_PGPORT" ${CPU_PIDS:-}
LINE=$(/usr/bin/time -f "%U %S" -o "$SNAP.wrk" wrk -t"$THREADS" -c"$CLIENTS" -d"${DURATION}s" --timeout 60s \
  -s "$HERE/sign.lua" "$BASE/p/$SLUG/sign" -- "$STAMP" "m$RUN" | tail -1)
USED=$("$HERE/../cpu.py" diff "$SNAP" "$CPU_PGPORT" ${CPU_PIDS:-})
WRK_CPU=$(awk '{ printf "%.2f", $1 + $2 }' "$SNAP.wrk")
rm -f "$SNAP" "$SNAP.wrk"
echo "$LINE pg_cpu_s=${USED#pg=} wrk_cpu_s=$WRK_CPU" | sed 's/ pids=/ app_cpu_s=/'
