#!/usr/bin/env bash
# Personalised blast throughput vs. the SMTP sink's own limit (see README.md).
# Needs Postfix's smtp-sink and smtp-source (apt-get install postfix; its daemon need not run).
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${COUNT:-100000}
PORT=${SINK_PORT:-2525}
export MAIL_CONNECTIONS=${MAIL_CONNECTIONS:-4}
SINK=/usr/sbin/smtp-sink
SOURCE=/usr/sbin/smtp-source

$SINK -u nobody 127.0.0.1:$PORT 256 &
SINK_PID=$!
trap 'kill $SINK_PID 2>/dev/null || true' EXIT
sleep 1

mvn -q -DskipTests test-compile
CP=$(mvn -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
# Run from a copy, so a rebuild during the run cannot change the classes under it.
WORK=$(mktemp -d)
cp -r target/classes target/test-classes "$WORK/"
trap 'kill $SINK_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "== Convoca: $COUNT personalised messages, $MAIL_CONNECTIONS connections =="
RESULT=$(/usr/bin/time -f "CPU user %U s, system %S s, wall %e s" -o /tmp/convoca-bench-cpu.txt java -cp "$WORK/classes:$WORK/test-classes:$CP" org.convoca.mail.BlastBenchmark "$COUNT" "$PORT" | grep '^RESULT')
echo "$RESULT"
cat /tmp/convoca-bench-cpu.txt
read -r _ N SECONDS_CONVOCA RATE_CONVOCA SIZE _ <<<"$RESULT"

echo "== smtp-source: $COUNT messages of $SIZE bytes, $MAIL_CONNECTIONS sessions, connections reused =="
START=$(date +%s.%N)
/usr/bin/time -f "CPU user %U s, system %S s (smtp-source)" $SOURCE -d -s "$MAIL_CONNECTIONS" -m "$COUNT" -l "$SIZE" -f news@convoca.example -t p@bench.example 127.0.0.1:$PORT
END=$(date +%s.%N)
SECONDS_SOURCE=$(echo "$END - $START" | bc -l)
RATE_SOURCE=$(echo "$COUNT / $SECONDS_SOURCE" | bc -l)

printf '\n| messages | size (bytes) | Convoca s | Convoca msg/s | smtp-source s | smtp-source msg/s | ratio |\n'
printf '| --- | --- | --- | --- | --- | --- | --- |\n'
printf '| %d | %d | %.1f | %.0f | %.1f | %.0f | %.2f |\n' "$COUNT" "$SIZE" "$SECONDS_CONVOCA" "$RATE_CONVOCA" \
    "$SECONDS_SOURCE" "$RATE_SOURCE" "$(echo "$RATE_CONVOCA / $RATE_SOURCE" | bc -l)"
