# Shared by the benchmark scripts: a throw-away standalone PostgreSQL 15 in a temporary folder,
# stopped (with the app, if APP_PID is set) when the script exits. Source it after `cd` to the
# repository root, with PGPORT set; then call `start_postgres [extra server settings…]`.
PG=${PG_BIN:-/usr/lib/postgresql/15/bin}
WORK=$(mktemp -d /tmp/convoca-bench.XXXXXX)
chmod 755 "$WORK"
APP_PID=""
# initdb refuses to run as root: run the server as the postgres (or nobody) user then.
if [ "$(id -u)" = 0 ]; then
  PGUSER_OS=$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)
  AS=(runuser -u "$PGUSER_OS" --)
  chown "$PGUSER_OS" "$WORK"
else
  AS=()
fi

bench_cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  "${AS[@]}" "$PG/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap bench_cleanup EXIT

# start_postgres [-c name=value …]: initdb, start on 127.0.0.1:$PGPORT, create database convoca.
start_postgres() {
  local extra=""
  for setting in "$@"; do extra="$extra -c $setting"; done
  "${AS[@]}" "$PG/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 >/dev/null
  "${AS[@]}" "$PG/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w \
    -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1$extra" start >/dev/null
  "$PG/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres convoca
}
