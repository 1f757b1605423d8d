#!/usr/bin/env bash
# The bounce inbox: returned messages per second against the IMAP mailbox's own read-and-delete
# rate, and what the VERP stamp adds per blast email (see README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${COUNT:-1000}
PGPORT=${PGPORT:-55481}
source bench/lib.sh
start_postgres
export TEST_DATABASE_URL="jdbc:postgresql://127.0.0.1:$PGPORT/convoca?user=postgres"

mvn -q -DskipTests test-compile
CP=$(mvn -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
# Run from a copy, so a rebuild during the run cannot change the classes under it.
cp -r target/classes target/test-classes "$WORK/"
chmod -R a+rX "$WORK/classes" "$WORK/test-classes"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== bounce inbox: $COUNT DSNs over IMAP (GreenMail), PostgreSQL 15 =="
RESULT=$(/usr/bin/time -f "CPU user %U s, system %S s, wall %e s" -o "$WORK/cpu.txt" \
  java -cp "$WORK/classes:$WORK/test-classes:$CP" org.convoca.mail.inbound.BounceBenchmark "$COUNT" | grep '^RESULT')
echo "$RESULT"
cat "$WORK/cpu.txt"
read -r _ N BASE_S CONVOCA_S BOUNCING _ <<<"$RESULT"

echo "== VERP stamp: build + write one blast email, µs =="
java -cp "$WORK/classes:$WORK/test-classes:$CP" org.convoca.mail.VerpStampBenchmark 20000 | grep '^STAMP'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

printf '\n| DSNs | mailbox read+delete s | mailbox msg/s | Convoca s | Convoca msg/s | ratio | people bouncing |\n'
printf '| --- | --- | --- | --- | --- | --- | --- |\n'
printf '| %d | %.2f | %.0f | %.2f | %.0f | %.2f | %d |\n' "$N" "$BASE_S" "$(echo "$N / $BASE_S" | bc -l)" "$CONVOCA_S" \
  "$(echo "$N / $CONVOCA_S" | bc -l)" "$(echo "$BASE_S / $CONVOCA_S" | bc -l)" "$BOUNCING"
