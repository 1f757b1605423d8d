#!/usr/bin/env bash
# The bounce inbox: returned messages per second against the IMAP mailbox's own read-and-delete
# rate, and what the VERP stamp adds per blast email (see README.md).
# IMAP_SERVER=dovecot (default when installed: apt-get install dovecot-imapd; its daemon need not
# run, a private one is started here on IMAP_PORT) or greenmail (in the benchmark's own JVM).
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${COUNT:-1000}
PGPORT=${PGPORT:-55481}
IMAP_PORT=${IMAP_PORT:-55482}
IMAP_SERVER=${IMAP_SERVER:-$([ -x /usr/sbin/dovecot ] && echo dovecot || echo greenmail)}
source bench/lib.sh
start_postgres
export TEST_DATABASE_URL="jdbc:postgresql://127.0.0.1:$PGPORT/convoca?user=postgres"

mvn -q -DskipTests test-compile
CP=$(mvn -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
# Run from a copy, so a rebuild during the run cannot change the classes under it.
cp -r target/classes target/test-classes "$WORK/"
chmod -R a+rX "$WORK/classes" "$WORK/test-classes"

DOVECOT_ARGS=()
if [ "$IMAP_SERVER" = dovecot ]; then
  D="$WORK/dovecot"
  MAILUID=$(id -u nobody); MAILGID=$(id -g nobody)
  mkdir -p "$D/run" "$D/state"
  for u in baseline convoca; do mkdir -p "$D/home/$u/Maildir/"{new,cur,tmp}; done
  chown -R nobody "$D/home"; chmod 755 "$D" "$D/home"
  printf 'baseline:{PLAIN}pw\nconvoca:{PLAIN}pw\n' > "$D/users"
  cat > "$D/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/users
}
userdb {
  driver = static
  args = uid=$MAILUID gid=$MAILGID home=$D/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
  /usr/sbin/dovecot -c "$D/dovecot.conf"
  trap '/usr/bin/doveadm -c "$D/dovecot.conf" stop 2>/dev/null || true; bench_cleanup' EXIT
  DOVECOT_ARGS=("$IMAP_PORT" "$D/home")
fi

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== bounce inbox: $COUNT DSNs over IMAP ($IMAP_SERVER), PostgreSQL 15 =="
RESULT=$(/usr/bin/time -f "CPU user %U s, system %S s, wall %e s" -o "$WORK/cpu.txt" \
  java -cp "$WORK/classes:$WORK/test-classes:$CP" org.convoca.mail.inbound.BounceBenchmark "$COUNT" "${DOVECOT_ARGS[@]}" \
  | grep '^RESULT')
echo "$RESULT"
cat "$WORK/cpu.txt"
read -r _ N BASE_S CONVOCA_S BOUNCING _ <<<"$RESULT"
echo "load average after the inbox run: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== VERP stamp: build + write one blast email, µs =="
java -cp "$WORK/classes:$WORK/test-classes:$CP" org.convoca.mail.VerpStampBenchmark 20000 | grep '^STAMP'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

printf '\n| IMAP server | DSNs | mailbox read+delete s | mailbox msg/s | Convoca s | Convoca msg/s | ratio | people bouncing |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
printf '| %s | %d | %.2f | %.0f | %.2f | %.0f | %.2f | %d |\n' "$IMAP_SERVER" "$N" "$BASE_S" "$(echo "$N / $BASE_S" | bc -l)" \
  "$CONVOCA_S" "$(echo "$N / $CONVOCA_S" | bc -l)" "$(echo "$BASE_S / $CONVOCA_S" | bc -l)" "$BOUNCING"
