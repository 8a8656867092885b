#!/usr/bin/env bash
# Issue 12, "Rescue only the dead": a real backlog of about five minutes against the default Hub:StaleSessionMs
# (60 s), as a bench scenario (tests/Hub.Tests/Faults has the scaled-down test). One hub process on its own
# redis-server, a small node (Hub:WorkerCount=10, so ~5 answers/s with the 2-s model), 300 chats offered 25 msg/s for
# 60 s (1,500 messages, so the last runs wait ~5 min in the Hangfire queue). Reports rescues (hub log and
# openclaw_hub_rescues_total), Hangfire jobs created against the runs the sessions needed, the longest queue, and
# lost / duplicated / reordered.
# Usage: bench/Load/run-backlog.sh [out-dir]   RATE=25 SECONDS_=60 WORKERS=10 CHATS=300
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/../.." && pwd)"
out="${1:-${TMPDIR:-/tmp}/openclaw-backlog}"; mkdir -p "$out"
rate="${RATE:-25}"; secs="${SECONDS_:-60}"; workers="${WORKERS:-10}"; chats="${CHATS:-300}"
load="dotnet $here/bin/Release/net10.0/OpenClaw.Channels.Bench.Load.dll"
hubdll="$root/src/Hub/bin/Release/net10.0/OpenClaw.Channels.Hub.dll"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rport=$(free_port); rdir=$(mktemp -d); hport=$(free_port); tport=$(free_port); mport=$(free_port)
redis-server --port "$rport" --bind 127.0.0.1 --dir "$rdir" --appendonly yes --save '' --daemonize no >/dev/null 2>&1 &
rpid=$!
trap 'kill "$rpid" 2>/dev/null || true; [ -n "${hubpid:-}" ] && kill "$hubpid" 2>/dev/null || true; rm -rf "$rdir"' EXIT
for _ in $(seq 1 50); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done
prefix="backlog:"
echo "start | load average: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$hubdll" --urls "http://127.0.0.1:$hport" --Hub:NodeId=backlog --Hub:KeyPrefix="$prefix" --Hub:DataDirectory="$(mktemp -d)" \
  --Hub:WorkerCount="$workers" --ConnectionStrings:Redis="127.0.0.1:$rport" \
  --Channels:Telegram:BotToken=123456789:AAFakeTokenForLoadOnly_abcdefghijklmn --Channels:Telegram:Mode=Webhook \
  --Channels:Telegram:WebhookSecret=load-secret_123 --Channels:Telegram:ApiBaseUrl="http://127.0.0.1:$tport" \
  --Agent:Endpoint="http://127.0.0.1:$mport/v1" --Agent:Model=fake-model --Agent:ApiKey=sk-load --Agent:RequestsPerMinute=0 \
  --Agent:MaxConcurrency=1000 --Logging:LogLevel:Default=Warning >"$out/hub.log" 2>&1 &
hubpid=$!
$load --label backlog --target "http://127.0.0.1:$hport" --fake-telegram-port "$tport" --fake-model-port "$mport" --chats "$chats" \
  --rate "$rate" --duration "$secs" --warmup-seconds 0 --warmup 0 --model-latency-ms 2000 --drain-timeout 900 --json "$out/backlog.json" >"$out/load.log" 2>&1 &
lpid=$!
maxq=0; start=$(date +%s)
while kill -0 "$lpid" 2>/dev/null; do
  q=$(redis-cli -p "$rport" llen "${prefix}hangfire:queue:node-backlog" 2>/dev/null || echo 0)
  [ "${q:-0}" -gt "$maxq" ] && maxq=$q
  sleep 2
done
wait "$lpid" || true
end=$(date +%s)
rescues_log=$(grep -c "Rescued stale session" "$out/hub.log" || true)
rescues_metric=$(curl -s "http://127.0.0.1:$hport/metrics" | awk '/^openclaw_hub_rescues_total/{s+=$NF} END{print s+0}')
jobs=$(redis-cli -p "$rport" --scan --pattern "${prefix}hangfire:job:*" | grep -cv ':history$\|:state$' || true)
python3 - "$out/backlog.json" "$rescues_log" "$rescues_metric" "$jobs" "$maxq" "$((end - start))" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"backlog: {r['acked']} acked, {r['answered']} answered, lost {r['lost']} dup {r['duplicated']} reordered {r['outOfOrder']}, "
      f"overhead p50 {r['overheadP50Ms'] / 1000:.0f} s p99 {r['overheadP99Ms'] / 1000:.0f} s (the queue wait), longest queue {sys.argv[5]} runs, "
      f"run took {sys.argv[6]} s; rescues: log {sys.argv[2]}, metric {sys.argv[3]}; Hangfire jobs created {sys.argv[4]} | load average: {sys.argv[7]}")
PY
