#!/usr/bin/env python3
"""CPU time of the processes a benchmark compares, from /proc (Linux), for a measured window.

  cpu.py snap FILE PGPORT [PID...]   remember CPU ticks: the PostgreSQL server on PGPORT (postmaster
                                     and its children: backends, WAL writer, checkpointer) and PIDs
  cpu.py diff FILE PGPORT [PID...]   print "pg=<seconds> pids=<seconds>" used since the snapshot

Backends that exited in between count through the postmaster, which reaps them (cutime/cstime).
"""
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    fields = s[s.rindex(")") + 2:].split()
    # utime + stime, plus cutime + cstime: the postmaster's children that exited (a benchmark
    # client's backends end with it) are added to its count when it reaps them.
    return int(fields[1]), sum(int(f) for f in fields[11:15]), cmd


def ticks(port, pids):
    procs = {p: stat(p) for p in os.listdir("/proc") if p.isdigit()}
    procs = {p: v for p, v in procs.items() if v}
    masters = {p for p, (_, _, cmd) in procs.items() if "postgres" in cmd and f"-p {port}" in cmd}
    pg = {p: t for p, (ppid, t, _) in procs.items() if p in masters or str(ppid) in masters}
    own = {p: procs[p][1] for p in pids if p in procs}
    return pg, own


def main():
    mode, path, port, pids = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    pg, own = ticks(port, pids)
    if mode == "snap":
        with open(path, "w") as f:
            for p, t in pg.items():
                f.write(f"pg {p} {t}\n")
            for p, t in own.items():
                f.write(f"own {p} {t}\n")
        return
    before = {}
    with open(path) as f:
        for line in f:
            kind, p, t = line.split()
            before[(kind, p)] = int(t)
    pg_used = sum(t - before.get(("pg", p), 0) for p, t in pg.items())
    own_used = sum(t - before.get(("own", p), 0) for p, t in own.items())
    print(f"pg={pg_used / TICK:.2f} pids={own_used / TICK:.2f}")


main()
