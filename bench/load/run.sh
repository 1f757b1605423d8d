#!/usr/bin/env bash
# Mixed traffic for DURATION seconds (default 600) at RATE requests/second (default 50) against Convoca
# with a 256 MB heap on a standalone PostgreSQL 15: page views, signatures, API reads. Reports
# per-kind p50/p99 and errors, and the heap's live set after a full GC every minute (it should
# stay flat). Loopback only.
#
#   bench/load/run.sh                       # RATE=50 DURATION=600
#   RATE=20 DURATION=60 bench/load/run.sh   # a quick look
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${RATE:-50}
SECONDS_TOTAL=${DURATION:-600}  # not SECONDS: bash keeps its own SECONDS counter
PGPORT=${PGPORT:-55437}
APPPORT=${APPPORT:-18087}
. bench/lib.sh
start_postgres max_connections=200 shared_buffers=256MB
[ -f target/convoca.jar ] || mvn -q -DskipTests package

export DATABASE_URL="jdbc:postgresql://127.0.0.1:$PGPORT/convoca?user=postgres"
export PORT=$APPPORT BASE_URL="http://127.0.0.1:$APPPORT" DATA_DIR="$WORK/data"
export PETITION_SIGNS_PER_IP_PER_MINUTE=1000000000   # all load comes from 127.0.0.1
unset SMTP_HOST
java -jar target/convoca.jar migrate >/dev/null 2>&1
echo "load passphrase long enough" | java -jar target/convoca.jar create-user --email load@example.org --role organizer >/dev/null 2>&1
TOKEN=$(java -jar target/convoca.jar create-api-key --email load@example.org 2>/dev/null | tail -1)
java -Xmx256m -jar target/convoca.jar serve >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$APPPORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
api() { curl -fs -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" "http://127.0.0.1:$APPPORT/api/v1/$1" -d "$2"; }
CID=$(api campaigns '{"title":"Load","slug":"bench","status":"live","description":"Counselors, not cops."}' | sed -E 's/.*"id":([0-9]+).*/\1/')
api petitions "{\"campaign_id\":$CID,\"title\":\"Load petition\",\"slug\":\"bench\",\"status\":\"open\",\"petition_text\":\"Fund counselors.\",\"target\":[{\"name\":\"Board\"}],\"signature_goal\":1000}" >/dev/null

live_heap() {  # MB in use right after a full GC: the live set
  jcmd "$APP_PID" GC.run >/dev/null 2>&1 || true
  jcmd "$APP_PID" GC.heap_info 2>/dev/null | sed -nE 's/.*total [0-9]+K, used ([0-9]+)K.*/\1/p' | head -1 | awk '{printf "%d", $1/1024}'
}
HEAP="$(live_heap)"
( while sleep 60; do echo -n " $(live_heap)" >>"$WORK/heap"; done ) &
SAMPLER=$!
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
TABLE=$(java bench/load/MixedLoad.java "http://127.0.0.1:$APPPORT" "$TOKEN" "$RATE" "$SECONDS_TOTAL")
kill $SAMPLER 2>/dev/null || true
HEAP="$HEAP$(cat "$WORK/heap" 2>/dev/null || true) $(live_heap)"
echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before/after $LOAD_BEFORE / $(cut -d' ' -f1 /proc/loadavg), heap limit 256 MB"
echo
echo "$TABLE"
echo
echo "Live heap after full GC, MB, start then every minute then end:$HEAP"
