#!/usr/bin/env bash
# Personalised blast throughput vs. the SMTP sink's own limit, and petition signing with and
# without a blast running, all against one app server (see README.md).
# Needs Postfix's smtp-sink and smtp-source (apt-get install postfix; its daemon need not run).
#
#   bench/mail/run.sh        # COUNT=100000 WARMUP_BLAST=50000 MAIL_CONNECTIONS=4 CLIENTS=64 WARMUP=5 DURATION=20
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${COUNT:-100000}
SINK_PORT=${SINK_PORT:-2525}
PGPORT=${PGPORT:-55452}
APPPORT=${APPPORT:-18091}
CLIENTS=${CLIENTS:-64}
WARMUP=${WARMUP:-5}
# A blast to this many people (the first ones of the list) before the measured one, on the same
# server: a server that has run for a while has its sending path compiled (JIT); right after a
# start, the compiler threads took a fifth of the machine during the first blast. 0: measure cold.
WARMUP_BLAST=${WARMUP_BLAST:-50000}
DURATION=${DURATION:-20}
export MAIL_CONNECTIONS=${MAIL_CONNECTIONS:-4}
SINK=/usr/sbin/smtp-sink
SOURCE=/usr/sbin/smtp-source
FROM=news@convoca.example
. bench/lib.sh

$SINK -u nobody 127.0.0.1:$SINK_PORT 256 &
SINK_PID=$!
trap 'kill $SINK_PID 2>/dev/null || true; bench_cleanup' EXIT

echo "== PostgreSQL 15 in $WORK/pg (port $PGPORT), smtp-sink on $SINK_PORT" >&2
start_postgres max_connections=200 shared_buffers=256MB

[ "${SKIP_BUILD:-}" = 1 ] || [ -n "${JAR:-}" ] || mvn -q -DskipTests package
# Run from a copy, so a rebuild during the run cannot change the code under it. JAR=path runs
# another build (interleaved A/B runs of old and new code with the same script).
cp "${JAR:-target/convoca.jar}" "$WORK/convoca.jar"
cp -r target/test-classes "$WORK/test-classes"
JAR="$WORK/convoca.jar"

export DATABASE_URL="jdbc:postgresql://127.0.0.1:$PGPORT/convoca?user=postgres"
export PORT=$APPPORT BASE_URL="http://127.0.0.1:$APPPORT" DATA_DIR="$WORK/data"
export SMTP_HOST=127.0.0.1 SMTP_PORT=$SINK_PORT MAIL_FROM=$FROM
export PETITION_SIGNS_PER_IP_PER_MINUTE=1000000000  # all load comes from 127.0.0.1 (see bench/petitions)
java -jar "$JAR" migrate >/dev/null 2>&1
echo "bench passphrase long enough" | java -jar "$JAR" create-user --email bench@example.org --role organizer >/dev/null
TOKEN=$(java -jar "$JAR" create-api-key --email bench@example.org 2>/dev/null | tail -1)
# Bench set-up only: COUNT subscribed people on one list (a third Spanish speakers), in SQL.
"$PG/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d convoca <<SQL
update organization set name = 'Unión de Padres', postal_address = '123 Main St, Springfield, IL 62701';
insert into people (given_name, family_name, email, email_normalized, email_status, language, referral_code)
  select 'Nombre' || g, 'Apellido' || g, 'p' || g || '@bench.example', 'p' || g || '@bench.example', 'subscribed',
         case when g % 3 = 0 then 'es' else 'en' end, 'ref' || g from generate_series(1, $COUNT) g;
insert into lists (name) values ('Warm-up');
insert into list_members (list_id, person_id) select (select max(id) from lists), id from people where id <= $WARMUP_BLAST;
insert into lists (name) values ('Everyone');
insert into list_members (list_id, person_id) select (select max(id) from lists), id from people;
vacuum analyze;
SQL
LIST_ID=$("$PG/psql" -tA -h 127.0.0.1 -p "$PGPORT" -U postgres -d convoca -c "select max(id) from lists")

java -Xmx512m ${APP_JAVA_OPTS:-} -jar "$JAR" serve >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$APPPORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

api() { curl -fs -X "$1" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" "http://127.0.0.1:$APPPORT/api/v1/$2" ${3:+-d "$3"}; }
CID=$(api POST campaigns '{"title":"Bench","slug":"bench","status":"live"}' | sed -E 's/.*"id":([0-9]+).*/\1/')
api POST petitions "{\"campaign_id\":$CID,\"title\":\"Bench petition\",\"slug\":\"bench\",\"status\":\"open\",\"petition_text\":\"Fund counselors.\",\"target\":[{\"name\":\"Board\"}],\"signature_goal\":1000}" >/dev/null
new_message() {
  api POST messages "$(cat <<JSON
{"subject": "Board meeting on Tuesday, {{ given_name | default(\"friend\") }}",
 "subject_es": "Reunión de la junta el martes, {{ given_name | default(\"amiga/amigo\") }}",
 "body": "Hi {{ given_name | default(\"friend\") }},\n\nThe school board votes on the budget on **Tuesday at 6 pm**. Parents who speak make the difference.\n\n- Bring a neighbour\n- Sign up to speak: [sign up](https://example.org/speak)\n\nShare your link: {{ referral_url }}\n\nThank you!",
 "body_es": "Hola {{ given_name | default(\"amiga/amigo\") }},\n\nLa junta escolar vota el presupuesto el **martes a las 6 pm**. Las familias que hablan marcan la diferencia.\n\n- Traiga a un vecino\n- Inscríbase para hablar: [inscribirse](https://example.org/speak)\n\nComparta su enlace: {{ referral_url }}\n\n¡Gracias!",
 "targets": [{"list": ${1:-$LIST_ID}}]}
JSON
)" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2
}
queued() { api GET "messages/$1" | sed -E 's/.*"queued":([0-9]+).*/\1/'; }
# The statistics behind "queued" count every delivery of the message (about 50-100 ms of database
# CPU at 100,000): polling every 0.2 s took a quarter of PostgreSQL's time during a blast. Wait
# about the time 40,000 emails/s would need for what is left (0.1 to 1 s): the end is still seen
# within 0.1 s below 40,000/s, with about a fifth of the polls.
poll_pause() { echo "p = $1 / 40000; if (p > 1) p = 1; if (p < 0.1) p = 0.1; p" | bc -l; }
# Seconds from the send call until no delivery of the message is queued (all accepted by the sink).
blast() {
  local id=$1 t0 left
  t0=$(date +%s.%N)
  api POST "messages/$id/send" >/dev/null
  # The send call queues every delivery (the expansion) before it returns: its share of the blast.
  printf '   send call (expansion into deliveries): %.1f s\n' "$(echo "$(date +%s.%N) - $t0" | bc -l)" >&2
  while left=$(queued "$id"); [ "$left" != 0 ]; do sleep "$(poll_pause "$left")"; done
  echo "$(date +%s.%N) - $t0" | bc -l
}
# The same wrk driver as bench/petitions (a C client: the Java one took a share of the cores).
sign() { bench/petitions/sign_load.sh "http://127.0.0.1:$APPPORT" bench "$CLIENTS" "$WARMUP" "$DURATION"; }

if [ "$WARMUP_BLAST" -gt 0 ]; then
  M0=$(new_message $((LIST_ID - 1)))
  S_WARM=$(blast "$M0")
  printf '== 0. warm-up blast to %d people (message %s): %.1f s, %.0f msg/s (cold JIT)\n' "$WARMUP_BLAST" "$M0" "$S_WARM" \
    "$(echo "$WARMUP_BLAST / $S_WARM" | bc -l)" >&2
fi
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
M1=$(new_message)
echo "== 1. Convoca alone: $COUNT personalised messages, $MAIL_CONNECTIONS connections (message $M1)" >&2
# CPU seconds (in clock ticks) of the app, of every PostgreSQL process (with its exited
# children) and of the sink: where the machine's time goes per email.
pgcpu() {
  local pm s=0 p; pm=$(head -1 "$WORK/pg/postmaster.pid")
  for p in $pm $(pgrep -P "$pm"); do [ -r /proc/$p/stat ] && s=$((s + $(awk '{print $14 + $15 + $16 + $17}' /proc/$p/stat))); done
  echo $s
}
CPU0=$(awk '{print $14 + $15}' /proc/$APP_PID/stat); PG0=$(pgcpu); SK0=$(awk '{print $14 + $15}' /proc/$SINK_PID/stat)
S_CONVOCA=$(blast "$M1")
CPU1=$(awk '{print $14 + $15}' /proc/$APP_PID/stat); PG1=$(pgcpu); SK1=$(awk '{print $14 + $15}' /proc/$SINK_PID/stat)
R_CONVOCA=$(echo "$COUNT / $S_CONVOCA" | bc -l)
SENT=$(api GET "messages/$M1" | sed -E 's/.*"sent":([0-9]+).*/\1/')
SIZE=$(java -cp "$JAR:$WORK/test-classes" org.convoca.mail.BlastSize "$DATABASE_URL" "$BASE_URL" "$M1" "$FROM" 2>/dev/null | tail -1)
printf 'Convoca: %.1f s, %.0f msg/s, %s sent, app CPU %.1f s, %s bytes per email\n' "$S_CONVOCA" "$R_CONVOCA" "$SENT" \
  "$(echo "($CPU1 - $CPU0) / $(getconf CLK_TCK)" | bc -l)" "$SIZE" >&2
printf 'CPU per email: app %.0f us, PostgreSQL %.0f us, smtp-sink %.0f us\n' "$(echo "($CPU1 - $CPU0) / $(getconf CLK_TCK) * 1000000 / $COUNT" | bc -l)" \
  "$(echo "($PG1 - $PG0) / $(getconf CLK_TCK) * 1000000 / $COUNT" | bc -l)" "$(echo "($SK1 - $SK0) / $(getconf CLK_TCK) * 1000000 / $COUNT" | bc -l)" >&2

echo "== 2. smtp-source: $COUNT messages of $SIZE bytes, $MAIL_CONNECTIONS sessions, connections reused" >&2
START=$(date +%s.%N); SK0=$(awk '{print $14 + $15}' /proc/$SINK_PID/stat)
$SOURCE -d -s "$MAIL_CONNECTIONS" -m "$COUNT" -l "$SIZE" -f $FROM -t p@bench.example 127.0.0.1:$SINK_PORT
S_SOURCE=$(echo "$(date +%s.%N) - $START" | bc -l)
R_SOURCE=$(echo "$COUNT / $S_SOURCE" | bc -l)
printf 'smtp-source: %.1f s, %.0f msg/s, smtp-sink CPU %.0f us per email\n' "$S_SOURCE" "$R_SOURCE" \
  "$(echo "($(awk '{print $14 + $15}' /proc/$SINK_PID/stat) - $SK0) / $(getconf CLK_TCK) * 1000000 / $COUNT" | bc -l)" >&2

# SKIP_SIGNING=1: only the blast and smtp-source (steps 1 and 2), for quick comparisons of builds.
[ "${SKIP_SIGNING:-}" = 1 ] && { printf 'ratio %.2f\n' "$(echo "$R_CONVOCA / $R_SOURCE" | bc -l)" >&2; exit 0; }

# The signing path keeps getting faster for about a minute of load (JIT): with one discarded round
# the round after the blast ran 50% faster than the one before it, which blurs the slowdown.
DISCARD=${DISCARD:-3}
echo "== 3. petition signing alone: $CLIENTS clients, ${WARMUP}s warm-up, ${DURATION}s measured (after $DISCARD discarded rounds, so every measured round runs on a warm JIT)" >&2
for _ in $(seq 1 "$DISCARD"); do echo "discarded: $(sign)" >&2; done
SIGN_ALONE=$(sign)
echo "$SIGN_ALONE" >&2

M2=$(new_message)
echo "== 4. petition signing while message $M2 goes to $COUNT people" >&2
BLAST_OUT="$WORK/blast2.txt"
blast "$M2" >"$BLAST_OUT" &
BLAST_PID=$!
SIGN_DURING=$(sign)
LEFT=$(queued "$M2")
echo "$SIGN_DURING (deliveries still queued when signing stopped: $LEFT)" >&2
wait $BLAST_PID
S_BLAST2=$(cat "$BLAST_OUT")
# The machine's load drifts over minutes: signing alone is measured again after the blast, and
# the slowdown is against the mean of the rounds before and after.
echo "== 5. petition signing alone again, after the blast" >&2
SIGN_AFTER=$(sign)
echo "$SIGN_AFTER" >&2
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)

rate() { echo "$1" | sed -nE 's/.*rate=([0-9.]+).*/\1/p'; }
p99() { echo "$1" | sed -nE 's/.*p99_ms=([0-9.]+).*/\1/p'; }
A1=$(rate "$SIGN_ALONE")
A2=$(rate "$SIGN_AFTER")
A=$(echo "($A1 + $A2) / 2" | bc -l)
B=$(rate "$SIGN_DURING")
COVERED=$([ "$LEFT" != 0 ] && echo yes || echo "no: the blast ended first")
echo
echo "| date (UTC) | load avg before/after | messages | size (bytes) | Convoca s | Convoca msg/s | smtp-source s | smtp-source msg/s | ratio | signs/s alone before / after (p99 ms) | signs/s during blast (p99 ms) | slowdown | blast during signing s | window covered |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '| %s | %s / %s | %d | %d | %.1f | %.0f | %.1f | %.0f | %.2f | %.1f (%s) / %.1f (%s) | %.1f (%s) | %.0f%% | %.1f | %s |\n' \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$LOAD_BEFORE" "$LOAD_AFTER" "$COUNT" "$SIZE" "$S_CONVOCA" "$R_CONVOCA" "$S_SOURCE" "$R_SOURCE" \
  "$(echo "$R_CONVOCA / $R_SOURCE" | bc -l)" "$A1" "$(p99 "$SIGN_ALONE")" "$A2" "$(p99 "$SIGN_AFTER")" "$B" "$(p99 "$SIGN_DURING")" \
  "$(echo "(1 - $B / $A) * 100" | bc -l)" "$S_BLAST2" "$COVERED"
