#!/usr/bin/env bash
# Drives the petition sign form with wrk (a C load generator, as pgbench is for the baseline):
# CLIENTS connections on 2 wrk threads, each request the real form with a new email; WARMUP
# seconds first (not counted: the JIT is still compiling the path), then SECONDS measured.
# Prints one line: signs= errors= socket_errors= seconds= rate= p50_ms= p99_ms=
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
wrk -t"$THREADS" -c"$CLIENTS" -d"${DURATION}s" --timeout 60s -s "$HERE/sign.lua" "$BASE/p/$SLUG/sign" -- "$STAMP" "m$RUN" | tail -1
