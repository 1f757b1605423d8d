#!/usr/bin/env bash
# Fault and multi-instance runs, one command: the tests under src/test/java/org/convoca/trust/
# (PostgreSQL crashed for 30 s under signing load, SMTP down for a minute, two Convoca processes on
# one database), with their numbers and the machine's load average before and after.
#
#   bench/faults/run.sh
# Embedded PostgreSQL (zonky) and GreenMail on free ports; nothing to set up.
set -euo pipefail
cd "$(dirname "$0")/../.."
TESTS=${TESTS:-DatabaseOutageTest,SmtpOutageTest,TwoProcessesTest}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
status=0
mvn -q test -Dtest="$TESTS" -Dsurefire.failIfNoSpecifiedTests=false >/tmp/convoca-faults.$$.log 2>&1 || status=$?
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)   wall: $(( $(date +%s) - start )) s   maven exit: $status"
for t in ${TESTS//,/ }; do
  report=$(ls target/surefire-reports/*."$t".txt 2>/dev/null || true)
  [ -n "$report" ] && grep -h "Tests run" "$report"
  out=$(ls target/surefire-reports/*."$t"-output.txt 2>/dev/null || true)
  [ -n "$out" ] && grep -hE "^(outage test|rate limit|outbox|blast):" "$out" || true
done
[ "$status" = 0 ] || { tail -40 /tmp/convoca-faults.$$.log; }
rm -f /tmp/convoca-faults.$$.log
exit "$status"
