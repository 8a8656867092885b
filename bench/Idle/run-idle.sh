#!/usr/bin/env bash
# Idle cost of the embedded hub (issue 11): starts the Release hub with no Redis (in-process Garnet) on a fresh data
# directory (its working directory an empty temp folder), times /readyz from process start, then measures the
# process's utime+stime (/proc/<pid>/stat) over a window (default 90-150 s after start), its RSS, and the CPU and
# voluntary context switches of its threads grouped by name (/proc/<pid>/task/*).
# Usage: [HUB_ENV="VAR=value ..."] bench/Idle/run-idle.sh [extra hub args...]   START=90 WINDOW=60 by default.
# Needs a Release build of src/Hub (dotnet build -c Release src/Hub/Hub.csproj).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
start="${START:-90}"; window="${WINDOW:-60}"
hubdll="$root/src/Hub/bin/Release/net10.0/OpenClaw.Channels.Hub.dll"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
work=$(mktemp -d); log="${IDLE_LOG:-$work.log}"
t0=$(date +%s.%N)
(cd "$work" && exec env ${HUB_ENV:-} dotnet "$hubdll" --urls "http://127.0.0.1:$port" --Hub:DataDirectory="$work/data" "$@" >"$log" 2>&1) &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.05; done
t1=$(date +%s.%N)
echo "readyz after $(python3 -c "print(f'{$t1-$t0:.2f}')") s | load average: $(cut -d' ' -f1-3 /proc/loadavg)"
sleep "$(python3 -c "print(max(0, $start - ($t1 - $t0)))")"
python3 - "$pid" "$window" <<'PY'
import os, re, sys, time, collections
pid, window = int(sys.argv[1]), float(sys.argv[2])
tck = os.sysconf("SC_CLK_TCK")
def fields(path):
    s = open(path).read(); return s[s.rindex(")") + 2:].split()
def threads():
    d = {}
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            f = fields(f"/proc/{pid}/task/{t}/stat"); name = open(f"/proc/{pid}/task/{t}/comm").read().strip()
            sw = int(open(f"/proc/{pid}/task/{t}/status").read().split("voluntary_ctxt_switches:")[1].split()[0])
        except (OSError, IndexError):
            continue
        d[t] = (re.sub(r"#\d+", "#N", name), int(f[11]) + int(f[12]), sw)
    return d
def cpu():
    f = fields(f"/proc/{pid}/stat"); return int(f[11]) + int(f[12])
a, ca, w0 = threads(), cpu(), time.time()
time.sleep(window)
b, cb, w1 = threads(), cpu(), time.time()
span = w1 - w0
rss = int(open(f"/proc/{pid}/status").read().split("VmRSS:")[1].split()[0]) / 1024
print(f"idle CPU {100 * (cb - ca) / tck / span:.2f} % of a core over {span:.0f} s, RSS {rss:.1f} MiB, {len(b)} threads"
      f" | load average: {' '.join(open('/proc/loadavg').read().split()[:3])}")
ticks, switches, count = collections.Counter(), collections.Counter(), collections.Counter()
for t, (name, tk, sw) in b.items():
    ticks[name] += tk - (a[t][1] if t in a else 0); switches[name] += sw - (a[t][2] if t in a else 0); count[name] += 1
gone = (cb - ca) - sum(ticks.values())
for name, tk in ticks.most_common(12):
    print(f"  {name:<16} x{count[name]:<4} {100 * tk / tck / span:5.2f} %  {switches[name] / span:6.1f} wake-ups/s")
print(f"  (threads that ended in the window: {100 * max(gone, 0) / tck / span:.2f} %)")
PY
