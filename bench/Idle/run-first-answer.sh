#!/usr/bin/env bash
# Latency of a message that reaches an idle hub (issue 11: a longer idle poll must not slow the first answer): the
# Release hub in its own process, embedded by default (REDIS=host:port for Redis mode), waits IDLE seconds (default 60)
# after /readyz, then bench/Load --target sends 0.2 msg/s over 20 chats for 60 s (each message finds the hub idle for
# ~5 s), 0-ms model. Prints hub overhead p50/p95/max-ish (p99) with the load average.
# Usage: bench/Idle/run-first-answer.sh [hub dll]   (default: this checkout's Release build)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
hubdll="${1:-$root/src/Hub/bin/Release/net10.0/OpenClaw.Channels.Hub.dll}"
load="dotnet $root/bench/Load/bin/Release/net10.0/OpenClaw.Channels.Bench.Load.dll"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
hport=$(free_port); tport=$(free_port); mport=$(free_port); work=$(mktemp -d)
args=(--urls "http://127.0.0.1:$hport" --Hub:NodeId=idle --Hub:DataDirectory="$work/data"
  --Channels:Telegram:BotToken=123456789:AAFakeTokenForLoadOnly_abcdefghijklmn --Channels:Telegram:Mode=Webhook
  --Channels:Telegram:WebhookSecret=load-secret_123 --Channels:Telegram:ApiBaseUrl="http://127.0.0.1:$tport"
  --Agent:Endpoint="http://127.0.0.1:$mport/v1" --Agent:Model=fake-model --Agent:ApiKey=sk-load --Logging:LogLevel:Default=Warning)
[ -n "${REDIS:-}" ] && args+=(--ConnectionStrings:Redis="$REDIS" --Hub:KeyPrefix="idle$RANDOM:")
(cd "$work" && exec dotnet "$hubdll" "${args[@]}" >"$work.log" 2>&1) &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$hport/readyz"; do sleep 0.1; done
sleep "${IDLE:-60}"
$load --label first-answer --target "http://127.0.0.1:$hport" --fake-telegram-port "$tport" --fake-model-port "$mport" \
  --chats 20 --rate 0.2 --duration 60 --warmup-seconds 0 --warmup 0 --json "$work/r.json" >"$work/load.log" 2>&1 || true
python3 - "$work/r.json" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"idle hub, first answers: {r['answered']} of {r['acked']}, overhead p50 {r['overheadP50Ms']} p95 {r['overheadP95Ms']} p99 {r['overheadP99Ms']} ms, ack p50 {r['ackP50Ms']} ms | load average: {sys.argv[2]}")
PY
