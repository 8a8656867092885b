#!/usr/bin/env bash
# Issue 12's performance targets (bench, not tests). Prints one line per figure, with the load average beside it.
#   1. real latency: 2-s model, 1,000 chats, 200 msg/s offered, limiter lifted; embedded and Redis (all answered, overhead p99 <= 100 ms)
#   2. hub CPU per answered message, generator in another process (--target), 0-ms model, 200 chats, 200 msg/s:
#      <= 0.7 ms embedded, <= 1.2 ms Redis counting redis-server's CPU too
#   3. Redis commands per answered message (same run as 2, Redis): <= 40
#   4. webhook ack p99 at 500 msg/s (1,000 chats, Redis): <= 5 ms
# Usage: bench/Load/run-targets.sh [out-dir]   RUNS=1 WARMUP=20 DURATION=20 by default. Starts its own redis-server on a
# free port (never the shared one) and kills only that.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-${TMPDIR:-/tmp}/openclaw-load-results}"
runs="${RUNS:-1}"; w="${WARMUP:-20}"; d="${DURATION:-20}"
mkdir -p "$out"
dotnet build -c Release "$here/Load.csproj" -v q -nologo >/dev/null
dotnet build -c Release "$root/src/Hub/Hub.csproj" -v q -nologo >/dev/null
load="dotnet $here/bin/Release/net10.0/OpenClaw.Channels.Bench.Load.dll"
hubdll="$root/src/Hub/bin/Release/net10.0/OpenClaw.Channels.Hub.dll"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
tck=$(getconf CLK_TCK)
rport=$(free_port); rdir=$(mktemp -d)
redis-server --port "$rport" --bind 127.0.0.1 --dir "$rdir" --appendonly yes --appendfsync always --save '' --daemonize no >/dev/null 2>&1 &
rpid=$!
trap 'kill "$rpid" 2>/dev/null || true; [ -n "${hubpid:-}" ] && kill "$hubpid" 2>/dev/null || true; rm -rf "$rdir"' EXIT
for _ in $(seq 1 50); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis="127.0.0.1:$rport"
note() { echo "$1 | load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
field() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r[sys.argv[2]])" "$1" "$2"; }

for i in $(seq 1 "$runs"); do
  for mode in embedded redis; do
    arg=(--redis none); [ "$mode" = redis ] && arg=(--redis "$redis")
    f="$out/latency-$mode-$i.json"
    $load --label "latency-$mode" --chats 1000 --rate 200 --model-latency-ms 2000 --warmup-seconds 10 --duration "$d" --drain-timeout 60 "${arg[@]}" --json "$f" >/dev/null 2>&1 || true
    note "real latency $mode: answered $(field "$f" answeredPerSecond)/s of 200, overhead p99 $(field "$f" overheadP99Ms) ms, lost $(field "$f" lost) dup $(field "$f" duplicated) reordered $(field "$f" outOfOrder)"
  done

  for mode in embedded redis; do
    hport=$(free_port); tport=$(free_port); mport=$(free_port)
    prefix="bench$i$mode:"
    hubargs=(--urls "http://127.0.0.1:$hport" --Hub:NodeId=bench --Hub:KeyPrefix="$prefix" --Hub:DataDirectory="$(mktemp -d)" --Hub:DedupeTtlSeconds=3600
      --Channels:Telegram:BotToken=123456789:AAFakeTokenForLoadOnly_abcdefghijklmn --Channels:Telegram:Mode=Webhook
      --Channels:Telegram:WebhookSecret=load-secret_123 --Channels:Telegram:ApiBaseUrl="http://127.0.0.1:$tport"
      --Agent:Endpoint="http://127.0.0.1:$mport/v1" --Agent:Model=fake-model --Agent:ApiKey=sk-load --Logging:LogLevel:Default=Warning)
    [ "$mode" = redis ] && hubargs+=(--ConnectionStrings:Redis="$redis")
    dotnet "$hubdll" "${hubargs[@]}" >"$out/hub-$mode-$i.log" 2>&1 &
    hubpid=$!
    f="$out/cpu-$mode-$i.json"
    $load --label "cpu-$mode" --target "http://127.0.0.1:$hport" --fake-telegram-port "$tport" --fake-model-port "$mport" --chats 200 --rate 200 --warmup-seconds "$w" --duration "$d" --json "$f" >/dev/null 2>&1 &
    lpid=$!
    # The measured window: after the hub is ready and the warm-up is over.
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$hport/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
    sleep "$w"
    h0=$(cpu_ticks "$hubpid"); r0=$(cpu_ticks "$rpid"); c0=$(redis-cli -p "$rport" info stats | awk -F: '/total_commands_processed/{print $2+0}')
    sleep "$d"
    h1=$(cpu_ticks "$hubpid"); r1=$(cpu_ticks "$rpid"); c1=$(redis-cli -p "$rport" info stats | awk -F: '/total_commands_processed/{print $2+0}')
    wait "$lpid" || true
    kill "$hubpid" 2>/dev/null || true; wait "$hubpid" 2>/dev/null || true; hubpid=
    answered=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['answeredPerSecond']*$d)" "$f")
    python3 - "$mode" "$h0" "$h1" "$r0" "$r1" "$c0" "$c1" "$answered" "$tck" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import sys
mode, h0, h1, r0, r1, c0, c1, answered, tck = sys.argv[1], *map(float, sys.argv[2:10])
load = sys.argv[10]
hub = (h1 - h0) / tck * 1000 / answered
red = (r1 - r0) / tck * 1000 / answered
line = f"cpu {mode}: hub {hub:.2f} ms/msg"
if mode == "redis":
    line += f", redis-server {red:.2f} ms/msg, together {hub + red:.2f} ms/msg, redis commands {(c1 - c0) / answered:.1f}/msg"
print(f"{line} ({answered:.0f} answered in the window) | load average: {load}")
PY
  done

  f="$out/ack-500-$i.json"
  $load --label ack-500 --chats 1000 --rate 500 --warmup-seconds "$w" --duration "$d" --redis "$redis" --json "$f" >/dev/null 2>&1 || true
  note "ack at 500 msg/s (Redis): p99 $(field "$f" ackP99Ms) ms, answered $(field "$f" answeredPerSecond)/s, lost $(field "$f" lost) dup $(field "$f" duplicated)"
done
