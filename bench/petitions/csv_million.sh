#!/usr/bin/env bash
# Streams the CSV export of a petition with a million signatures from an app limited to a 96 MB
# heap: the export must run in constant memory (a buffered export would need several times that).
#
#   bench/petitions/csv_million.sh        # ROWS=1000000 HEAP=96m
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-1000000}
HEAP=${HEAP:-96m}
PGPORT=${PGPORT:-55433}
APPPORT=${APPPORT:-18081}
. bench/lib.sh
start_postgres
[ -f target/convoca.jar ] || mvn -q -DskipTests package

export DATABASE_URL="jdbc:postgresql://127.0.0.1:$PGPORT/convoca?user=postgres"
export PORT=$APPPORT BASE_URL="http://127.0.0.1:$APPPORT" DATA_DIR="$WORK/data"
unset SMTP_HOST
java -jar target/convoca.jar migrate >/dev/null 2>&1
echo "bench passphrase long enough" | java -jar target/convoca.jar create-user --email csv@example.org --role organizer >/dev/null
TOKEN=$(java -jar target/convoca.jar create-api-key --email csv@example.org 2>/dev/null | tail -1)
java -Xmx"$HEAP" -jar target/convoca.jar serve >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$APPPORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
api() { curl -fs -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" "http://127.0.0.1:$APPPORT/api/v1/$1" -d "$2"; }
CID=$(api campaigns '{"title":"CSV","slug":"csv","status":"live"}' | sed -E 's/.*"id":([0-9]+).*/\1/')
PID=$(api petitions "{\"campaign_id\":$CID,\"title\":\"CSV\",\"slug\":\"csv\",\"status\":\"open\",\"petition_text\":\"x\",\"target\":[{\"name\":\"Board\"}]}" | sed -E 's/.*"id":([0-9]+).*/\1/')

echo "== inserting $ROWS signatures" >&2
"$PG/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d convoca <<SQL
insert into people (given_name, family_name, email, email_normalized, referral_code)
  select '=HYPERLINK("x")', 'Parent ' || g, 'p' || g || '@csv.example.org', 'p' || g || '@csv.example.org', 'csv' || g
  from generate_series(1, $ROWS) g;
insert into signatures (petition_id, person_id, status, confirmed_at, comments)
  select $PID, id, 'confirmed', now(), 'Because our kids deserve it, row ' || id from people;
SQL

echo "== streaming the CSV with -Xmx$HEAP" >&2
START=$(date +%s.%N)
STATS=$(curl -fs -H "Accept: text/csv" -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$APPPORT/api/v1/petitions/$PID/signatures" | tee >(wc -c > "$WORK/bytes") | awk -F, '
  NR == 2 { second = $0 } END { print NR " lines; first data row: " second }')
END=$(date +%s.%N)
sleep 0.2
RSS=$(awk '/VmHWM/ {print $2 " " $3}' /proc/$APP_PID/status)
echo "$STATS"
echo "bytes=$(cat "$WORK/bytes") seconds=$(awk -v a="$START" -v b="$END" 'BEGIN { printf "%.1f", b - a }') app_peak_rss=$RSS heap_limit=$HEAP"
kill -0 "$APP_PID" && echo "app still running: yes"
grep -c OutOfMemory "$WORK/app.log" || true
