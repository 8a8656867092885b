#!/usr/bin/env bash
# Issue 12's performance targets (bench, not tests). Every figure runs the hub as its own process (the Release
# OpenClaw.Channels.Hub.dll) and the generator with the fakes in another (bench/Load --target), and prints one line
# with the load average beside it:
#   1. real latency: 2-s model, 1,000 chats, 200 msg/s offered, limiter lifted; embedded and Redis (all answered,
#      overhead p99 <= 100 ms); runs in flight sampled every second (ZCARD of Hangfire's processing set)
#   2. hub CPU per answered message, 0-ms model, 200 chats, 200 msg/s: <= 0.7 ms embedded, <= 1.2 ms Redis counting
#      redis-server's CPU too
#   3. Redis commands per answered message (same run as 2, Redis): <= 40; INFO commandstats per message in
#      commands-redis-N.txt
#   4. webhook ack p99 at 500 msg/s (1,000 chats, Redis): <= 5 ms
#   5. fairness: 1,000 chats in a closed loop, 0-ms model, embedded and Redis: every chat answered, first answers
#      within seconds (p50 / p99 / max per chat), answers per chat (min / median / max)
# Usage: bench/Load/run-targets.sh [out-dir]   HUBDLL= (default: build src/Hub) SKIPBUILD= HUBARGS= (more hub arguments) REDISFSYNC=always RUNS=1 WARMUP=20 DURATION=20 ONLY="latency cpu ack fair" by default (fair: FAIRMODES="embedded redis").
# LATMODES="embedded redis" (the latency run's stores; its warm-up is WARMUP too: a hub that has just started holds its
# 512-run cap, Hub:MaxRunsPerNode, for its first 12-15 s while the JIT warms, so a 10-s warm-up counted that in the p99).
# CPURATE=200 (the cpu run's offered msg/s; 4 gives every message a run of its own) CPUMODES="embedded redis". Starts
# its own redis-server on a free port (never the shared one) and kills only that and the hubs it started.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-${TMPDIR:-/tmp}/openclaw-load-results}"
runs="${RUNS:-1}"; w="${WARMUP:-20}"; d="${DURATION:-20}"; only="${ONLY:-latency cpu ack fair}"
mkdir -p "$out"
# HUBDLL=path/OpenClaw.Channels.Hub.dll runs that build instead (an A/B against a copy of an earlier build); SKIPBUILD=1
# builds nothing (bench/Load's Release build must exist).
if [ -z "${SKIPBUILD:-}" ]; then
  dotnet build -c Release "$here/Load.csproj" -v q -nologo >/dev/null
  [ -z "${HUBDLL:-}" ] && dotnet build -c Release "$root/src/Hub/Hub.csproj" -v q -nologo >/dev/null
fi
load="dotnet $here/bin/Release/net10.0/OpenClaw.Channels.Bench.Load.dll"
hubdll="${HUBDLL:-$root/src/Hub/bin/Release/net10.0/OpenClaw.Channels.Hub.dll}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# ctx_switches PID: voluntary + involuntary context switches of all the process's live threads (a thread that ended
# takes its count with it: compare runs of the same thread layout).
ctx_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches/ {s += $2} END {print s + 0}'; }
cpu_ticks() { python3 -c "import sys; s=open('/proc/$1/stat').read(); f=s[s.rindex(')')+2:].split(); print(int(f[11])+int(f[12]))"; }
tck=$(getconf CLK_TCK)
rport=$(free_port); rdir=$(mktemp -d)
# REDISFSYNC=everysec (default always) only to measure what the disk's fsync adds to a figure.
redis-server --port "$rport" --bind 127.0.0.1 --dir "$rdir" --appendonly yes --appendfsync "${REDISFSYNC:-always}" --save '' --daemonize no >/dev/null 2>&1 &
rpid=$!
trap 'kill "$rpid" 2>/dev/null || true; [ -n "${hubpid:-}" ] && kill "$hubpid" 2>/dev/null || true; rm -rf "$rdir"' EXIT
for _ in $(seq 1 50); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis="127.0.0.1:$rport"
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
field() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r[sys.argv[2]])" "$1" "$2"; }

# start_hub MODE LABEL: starts a hub process for a --target run; sets hubpid, hport, tport, mport, prefix, sport (the
# store's port: the redis-server, or the embedded Garnet server read from the hub's log).
start_hub() {
  local mode=$1 label=$2
  hport=$(free_port); tport=$(free_port); mport=$(free_port); prefix="$label:"
  local args=(--urls "http://127.0.0.1:$hport" --Hub:NodeId=bench --Hub:KeyPrefix="$prefix" --Hub:DataDirectory="$(mktemp -d)" --Hub:DedupeTtlSeconds=3600
    --Channels:Telegram:BotToken=123456789:AAFakeTokenForLoadOnly_abcdefghijklmn --Channels:Telegram:Mode=Webhook
    --Channels:Telegram:WebhookSecret=load-secret_123 --Channels:Telegram:ApiBaseUrl="http://127.0.0.1:$tport"
    --Channels:Telegram:MessagesPerSecond=0
    --Agent:Endpoint="http://127.0.0.1:$mport/v1" --Agent:Model=fake-model --Agent:ApiKey=sk-load
    --Agent:RequestsPerMinute=0 --Agent:MaxConcurrency=1000
    --Logging:LogLevel:Default=Warning --Logging:LogLevel:OpenClaw.Channels.Hub.Embedded=Information)
  [ "$mode" = redis ] && args+=(--ConnectionStrings:Redis="$redis")
  # shellcheck disable=SC2206
  [ -n "${HUBARGS:-}" ] && args+=($HUBARGS)
  dotnet "$hubdll" "${args[@]}" >"$out/hub-$label.log" 2>&1 &
  hubpid=$!
  for _ in $(seq 1 600); do curl -sf -o /dev/null "http://127.0.0.1:$hport/readyz" && break; sleep 0.2; done
  sport=$rport
  # A build before the in-process Garnet (issue 11) has no store port: sport stays empty and the Garnet figures are skipped.
  [ "$mode" = embedded ] && sport=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$out/hub-$label.log" | head -1 | cut -d: -f2 || true)
  return 0
}
stop_hub() { kill "$hubpid" 2>/dev/null || true; wait "$hubpid" 2>/dev/null || true; hubpid=; }
target_args() { echo --target "http://127.0.0.1:$hport" --fake-telegram-port "$tport" --fake-model-port "$mport"; }

for i in $(seq 1 "$runs"); do
  if [[ " $only " == *" latency "* ]]; then
    for mode in ${LATMODES:-embedded redis}; do
      start_hub "$mode" "lat$i$mode"
      f="$out/latency-$mode-$i.json"
      # shellcheck disable=SC2046
      $load --label "latency-$mode" $(target_args) --chats 1000 --rate 200 --model-latency-ms 2000 --warmup-seconds "$w" --duration "$d" --drain-timeout 60 --json "$f" >"$out/latency-$mode-$i.log" 2>&1 &
      lpid=$!
      : >"$out/inflight-$mode-$i.txt"
      while kill -0 "$lpid" 2>/dev/null; do
        redis-cli -p "$sport" zcard "${prefix}hangfire:processing" >>"$out/inflight-$mode-$i.txt" 2>/dev/null || true
        sleep 1
      done
      wait "$lpid" || true
      stop_hub
      inflight=$(sort -n "$out/inflight-$mode-$i.txt" | awk '{a[NR]=$1} END{printf "median %d, max %d", a[int((NR+1)/2)], a[NR]}')
      echo "real latency $mode: answered $(field "$f" answeredPerSecond)/s of 200, $(field "$f" answered) of $(field "$f" acked) acked, overhead p50 $(field "$f" overheadP50Ms) p99 $(field "$f" overheadP99Ms) ms, runs in flight $inflight, lost $(field "$f" lost) dup $(field "$f" duplicated) reordered $(field "$f" outOfOrder) | load average: $(loadavg)"
    done
  fi

  if [[ " $only " == *" cpu "* ]]; then
    for mode in ${CPUMODES:-embedded redis}; do
      start_hub "$mode" "cpu$i$mode"
      f="$out/cpu-$mode-$i.json"
      # shellcheck disable=SC2046
      $load --label "cpu-$mode" $(target_args) --chats 200 --rate "${CPURATE:-200}" --warmup-seconds "$w" --duration "$d" --json "$f" >"$out/cpu-$mode-$i.log" 2>&1 &
      lpid=$!
      sleep "$w"
      h0=$(cpu_ticks "$hubpid"); r0=$(cpu_ticks "$rpid"); x0=$(ctx_switches "$hubpid"); { [ -n "$sport" ] && redis-cli -p "$sport" info commandstats || true; } >"$out/cs0"
      curl -s "http://127.0.0.1:$hport/metrics" >"$out/cpu-metrics0-$mode-$i.txt" || true
      sleep "$d"
      h1=$(cpu_ticks "$hubpid"); r1=$(cpu_ticks "$rpid"); x1=$(ctx_switches "$hubpid"); threads=$(ls /proc/"$hubpid"/task | wc -l); { [ -n "$sport" ] && redis-cli -p "$sport" info commandstats || true; } >"$out/cs1"
      curl -s "http://127.0.0.1:$hport/metrics" >"$out/cpu-metrics1-$mode-$i.txt" || true
      rss=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' /proc/"$hubpid"/status)
      wait "$lpid" || true
      stop_hub
      gc=$(python3 "$here/hub-window.py" "$out/cpu-metrics0-$mode-$i.txt" "$out/cpu-metrics1-$mode-$i.txt" "$d" | sed 's/.*GC/GC/' || echo "no /metrics")
      answered=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['answeredPerSecond']*$d)" "$f")
      python3 - "$mode" "$h0" "$h1" "$r0" "$r1" "$answered" "$tck" "$(loadavg)" "$out/cs0" "$out/cs1" "$out/commands-$mode-$i.txt" "$x0" "$x1" "$threads" "$gc, RSS $rss MiB at the end of the window" <<'PY'
import sys, re
mode, h0, h1, r0, r1, answered, tck = sys.argv[1], *map(float, sys.argv[2:8])
load = sys.argv[8]
switches = (float(sys.argv[13]) - float(sys.argv[12])) / answered
def stats(path):
    d = {}
    for line in open(path):
        m = re.match(r"cmdstat_([^:]+):calls=(\d+)", line.strip())
        if m: d[m.group(1)] = int(m.group(2))
    return d
a, b = stats(sys.argv[9]), stats(sys.argv[10])
per = sorted(((b[k] - a.get(k, 0)) / answered, k) for k in b if b[k] - a.get(k, 0) > 0)[::-1]
with open(sys.argv[11], "w") as f:
    for n, k in per: f.write(f"{k:<22} {n:6.2f}\n")
total = sum(n for n, _ in per)
hub = (h1 - h0) / tck * 1000 / answered
line = f"cpu {mode}: hub {hub:.2f} ms/msg"
if mode == "redis":
    red = (r1 - r0) / tck * 1000 / answered
    line += f", redis-server {red:.2f} ms/msg, together {hub + red:.2f} ms/msg, redis commands {total:.1f}/msg"
else:
    line += f", Garnet commands {total:.1f}/msg" if per else ""
line += f", {switches:.0f} context switches/msg ({sys.argv[14]} threads), {sys.argv[15]}"
print(f"{line} ({answered:.0f} answered in the window) | load average: {load}")
PY
    done
  fi

  if [[ " $only " == *" ack "* ]]; then
    start_hub redis "ack$i"
    f="$out/ack-500-$i.json"
    # shellcheck disable=SC2046
    $load --label ack-500 $(target_args) --chats 1000 --rate 500 --warmup-seconds "$w" --duration "$d" --json "$f" >"$out/ack-500-$i.log" 2>&1 &
    lpid=$!
    # The hub's own view of the measured window: its webhook request durations (ASP.NET Core's histogram) and GC
    # pauses, from /metrics at (about: the generator starts a second or two later) the start and the end of the window.
    sleep "$w"; curl -s "http://127.0.0.1:$hport/metrics" >"$out/ack-metrics0-$i.txt" || true
    sleep "$d"; curl -s "http://127.0.0.1:$hport/metrics" >"$out/ack-metrics1-$i.txt" || true
    wait "$lpid" || true
    stop_hub
    server=$(python3 "$here/hub-window.py" "$out/ack-metrics0-$i.txt" "$out/ack-metrics1-$i.txt" "$d" || echo "no /metrics")
    echo "ack at 500 msg/s (Redis): p50 $(field "$f" ackP50Ms) p99 $(field "$f" ackP99Ms) ms (p99 from the scheduled send $(field "$f" ackFromDueP99Ms) ms), answered $(field "$f" answeredPerSecond)/s, overhead p99 $(field "$f" overheadP99Ms) ms, lost $(field "$f" lost) dup $(field "$f" duplicated); hub side: $server | load average: $(loadavg)"
  fi

  if [[ " $only " == *" fair "* ]]; then
    # Issue 12, "Fair to every chat": 1,000 chats in a closed loop (each sends its next message as soon as the previous
    # one is acknowledged, so every inbox fills), 0-ms model: every chat should get its first answer within seconds.
    for mode in ${FAIRMODES:-embedded redis}; do
      start_hub "$mode" "fair$i$mode"
      f="$out/fair-$mode-$i.json"
      # A warm hub (the figure is about scheduling, not the JIT of a process that has just started): 10 s of open-loop
      # traffic on 200 of the chats first, fully answered before the closed loop starts.
      # shellcheck disable=SC2046
      $load --label "fair-warmup-$mode" $(target_args) --chats 200 --rate 100 --warmup-seconds 0 --duration 10 >"$out/fair-warmup-$mode-$i.log" 2>&1 || true
      # shellcheck disable=SC2046
      $load --label "fair-$mode" $(target_args) --chats 1000 --rate max --warmup-seconds 0 --duration "$d" --drain-timeout 180 --json "$f" >"$out/fair-$mode-$i.log" 2>&1 || true
      stop_hub
      python3 - "$f" "$mode" "$(loadavg)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); fa = r["fairness"]
print(f"fair {sys.argv[2]}: {fa['chatsAnswered']} of {r['chats']} chats answered, first answer p50 {fa['firstAnswerP50Ms']:.0f} / p99 {fa['firstAnswerP99Ms']:.0f} / max {fa['firstAnswerMaxMs']:.0f} ms, answers per chat {fa['answersPerChatMin']} / {fa['answersPerChatMedian']} / {fa['answersPerChatMax']} (min / median / max), {r['answeredPerSecond']} answered/s, lost {r['lost']} dup {r['duplicated']} reordered {r['outOfOrder']} | load average: {sys.argv[3]}")
PY
    done
  fi
done
